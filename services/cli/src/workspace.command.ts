import { parseArgs } from 'node:util';
import { createWorkspaceWithKey } from '@canvas/api';
import { createDatabase, defaultDatabaseUrl, ensureDatabase, migrate } from '@canvas/db';

/** `pnpm --silent cli workspace create --name NAME`: one JSON line {"workspaceId","apiKey"}. */
export async function workspaceCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const [action, ...rest] = args;
  const { values } = parseArgs({
    args: [...rest],
    options: { name: { type: 'string' }, label: { type: 'string' } },
    strict: true,
  });
  if (action !== 'create' || !values.name || values.name.trim() === '') {
    throw new Error('usage: pnpm --silent cli workspace create --name NAME [--label LABEL]');
  }
  const url = env.DATABASE_URL ?? defaultDatabaseUrl;
  await ensureDatabase(url);
  await migrate(url);
  const db = createDatabase({ url, maxConnections: 1, applicationName: 'canvas-cli' });
  try {
    const created = await createWorkspaceWithKey(db, values.name.trim(), values.label ?? 'admin');
    out.write(`${JSON.stringify(created)}\n`);
  } finally {
    await db.destroy();
  }
}
