import { CanvasDefinition, type CanvasDefinitionInput } from '@canvas/canvas';
import { insertCanvas, insertWorkspace, markLaunched, saveResolved, type Db, type ResolvedSteps } from '@canvas/db';

/** A workspace with a fixed id, so two databases can hold the same data. */
export async function seedWorkspace(db: Db, id: string, name = 'Seeded'): Promise<void> {
  await insertWorkspace(db, { id, name });
}

/**
 * A canvas launched straight into the database, its Facebook steps pointed at the given
 * account and audience (the API does this with Meta; runner tests need only the rows).
 */
export async function seedLaunchedCanvas(
  db: Db,
  options: {
    id: string;
    workspaceId: string;
    definition: CanvasDefinitionInput;
    audience?: { adAccountId: string; metaAccountId: string; audienceId: string };
  },
): Promise<void> {
  const definition = CanvasDefinition.parse(options.definition);
  const resolved: ResolvedSteps = {};
  for (const step of definition.steps) {
    if (step.kind === 'facebook_audience' && options.audience)
      resolved[step.id] = { ...options.audience, created: false };
  }
  await db.transaction().execute(async (tx) => {
    await insertCanvas(tx, {
      id: options.id,
      workspaceId: options.workspaceId,
      name: definition.name,
      definition,
      now: new Date(),
    });
    await saveResolved(tx, options.id, 1, resolved);
    await markLaunched(tx, options.id, 1, new Date());
  });
}
