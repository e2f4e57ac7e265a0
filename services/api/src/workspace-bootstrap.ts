import { randomUUID } from 'node:crypto';
import { insertApiKey, insertWorkspace, type Db } from '@canvas/db';
import { generateApiKey } from './api-key.js';

/** Creates a workspace and its first API key (label "admin"); the key is returned once. */
export async function createWorkspaceWithKey(
  db: Db,
  name: string,
  label = 'admin',
): Promise<{ workspaceId: string; apiKey: string }> {
  return db.transaction().execute(async (tx) => {
    const workspace = await insertWorkspace(tx, { id: randomUUID(), name });
    const key = generateApiKey();
    await insertApiKey(tx, { id: randomUUID(), workspaceId: workspace.id, label, hash: key.hash, prefix: key.prefix });
    return { workspaceId: workspace.id, apiKey: key.key };
  });
}
