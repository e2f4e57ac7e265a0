import type { Executor } from './connection.js';

export interface Workspace {
  id: string;
  name: string;
  createdAt: Date;
}

export async function insertWorkspace(db: Executor, workspace: { id: string; name: string }): Promise<Workspace> {
  const row = await db.insertInto('workspaces').values(workspace).returningAll().executeTakeFirstOrThrow();
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

export async function findWorkspace(db: Executor, id: string): Promise<Workspace | undefined> {
  const row = await db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
  return row && { id: row.id, name: row.name, createdAt: row.created_at };
}

export async function listWorkspaceIds(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('workspaces').select('id').execute();
  return rows.map((r) => r.id);
}
