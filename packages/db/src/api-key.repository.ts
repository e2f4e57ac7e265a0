import type { Executor } from './connection.js';

export interface ApiKey {
  id: string;
  workspaceId: string;
  label: string;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface ApiKeyOwner {
  keyId: string;
  workspaceId: string;
  label: string;
}

const toApiKey = (row: {
  id: string;
  workspace_id: string;
  label: string;
  key_prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}): ApiKey => ({
  id: row.id,
  workspaceId: row.workspace_id,
  label: row.label,
  prefix: row.key_prefix,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

export async function insertApiKey(
  db: Executor,
  key: { id: string; workspaceId: string; label: string; hash: Buffer; prefix: string },
): Promise<ApiKey> {
  const row = await db
    .insertInto('api_keys')
    .values({
      id: key.id,
      workspace_id: key.workspaceId,
      label: key.label,
      key_hash: key.hash,
      key_prefix: key.prefix,
      revoked_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toApiKey(row);
}

/** The workspace of an active key, found by the key's hash. */
export async function findKeyOwner(db: Executor, hash: Buffer): Promise<ApiKeyOwner | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'workspace_id', 'label'])
    .where('key_hash', '=', hash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row && { keyId: row.id, workspaceId: row.workspace_id, label: row.label };
}

export async function listApiKeys(db: Executor, workspaceId: string): Promise<ApiKey[]> {
  const rows = await db
    .selectFrom('api_keys')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .execute();
  return rows.map(toApiKey);
}

export async function countActiveKeys(db: Executor, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Revokes a key of the workspace; undefined when it has no such key. */
export async function revokeApiKey(
  db: Executor,
  workspaceId: string,
  id: string,
  now: Date,
): Promise<ApiKey | undefined> {
  const row = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return row && toApiKey(row);
}
