import type { Executor } from './connection.js';
import type { WorkspacesTable } from './schema.js';

export interface Workspace {
  id: string;
  name: string;
  /** Put before the name of every audience this product creates for the workspace. */
  audienceNamePrefix: string | null;
  /** A launch whose ad accounts risk the sync's retry limit is refused, not only warned about. */
  blockLaunchOnQuotaRisk: boolean;
  createdAt: Date;
}

const toWorkspace = (row: {
  id: string;
  name: string;
  audience_name_prefix: WorkspacesTable['audience_name_prefix'];
  block_launch_on_quota_risk: boolean;
  created_at: Date;
}) => ({
  id: row.id,
  name: row.name,
  audienceNamePrefix: row.audience_name_prefix,
  blockLaunchOnQuotaRisk: row.block_launch_on_quota_risk,
  createdAt: row.created_at,
});

export async function insertWorkspace(db: Executor, workspace: { id: string; name: string }): Promise<Workspace> {
  const row = await db.insertInto('workspaces').values(workspace).returningAll().executeTakeFirstOrThrow();
  return toWorkspace(row);
}

export async function findWorkspace(db: Executor, id: string): Promise<Workspace | undefined> {
  const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toWorkspace(row);
}

export async function setAudienceNamePrefix(
  db: Executor,
  id: string,
  prefix: string | null,
): Promise<Workspace | undefined> {
  const row = await db
    .updateTable('workspaces')
    .set({ audience_name_prefix: prefix })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toWorkspace(row);
}

export async function setBlockLaunchOnQuotaRisk(
  db: Executor,
  id: string,
  block: boolean,
): Promise<Workspace | undefined> {
  const row = await db
    .updateTable('workspaces')
    .set({ block_launch_on_quota_risk: block })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toWorkspace(row);
}

export async function listWorkspaceIds(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('workspaces').select('id').execute();
  return rows.map((r) => r.id);
}

/** Which of the given ids are workspaces now. */
export async function existingWorkspaceIds(db: Executor, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('workspaces')
    .select('id')
    .where('id', 'in', [...ids])
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Locks the workspace's row until the transaction ends: work that counts and then changes the
 * workspace's keys (or anything else it must see whole) runs one at a time.
 */
export async function lockWorkspace(db: Executor, id: string): Promise<boolean> {
  const row = await db.selectFrom('workspaces').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
  return row !== undefined;
}
