import { findCanvas, findCanvasVersion, saveResolved, type ResolvedSteps } from '@canvas/db';
import { resolveFacebookSteps } from './audience-resolution.js';
import type { ApiDeps } from './deps.js';
import { apiError, conflict, notFound } from './problem.js';
import { definitionOf } from './stored-definition.js';

/** How the API shows each step's audience. */
export const audienceViews = (resolved: ResolvedSteps) =>
  Object.entries(resolved).map(([stepId, target]) => ({
    stepId,
    adAccountId: `act_${target.metaAccountId}`,
    audienceId: target.audienceId,
    audienceName: target.audienceName ?? null,
    created: target.created,
    fromStep: target.fromStep ?? null,
    linkedAdSets: target.linkedAdSets ?? [],
    valueTrait: target.valueTrait ?? null,
  }));

/**
 * Creates the newest version's audiences before launch, as Braze's "Create Audience" does in
 * draft mode: the same checks as launch, and what is created is kept for launch to reuse.
 */
export async function createDraftAudiences(deps: ApiDeps, workspaceId: string, canvasId: string) {
  const canvas = await findCanvas(deps.db, workspaceId, canvasId);
  if (!canvas) throw notFound(`canvas ${canvasId}`);
  if (canvas.status === 'archived') throw conflict('CANVAS_ARCHIVED', 'an archived canvas cannot change');
  const version = await findCanvasVersion(deps.db, canvasId, canvas.latestVersion);
  if (!version) throw notFound(`version ${canvas.latestVersion}`);
  const definition = definitionOf(version.definition, { canvasId, version: version.version });
  const { resolved, problems } = await resolveFacebookSteps(deps, workspaceId, canvasId, definition);
  await saveResolved(deps.db, canvasId, version.version, resolved);
  if (problems.length > 0)
    throw apiError(
      'AUDIENCE_CREATION_FAILED',
      `${problems.length} problem(s); audiences without a problem were created and are kept`,
      problems,
    );
  return audienceViews(resolved);
}
