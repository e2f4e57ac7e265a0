import { sql, type Selectable } from 'kysely';
import type { Executor, Tx } from './connection.js';
import type { TimersTable } from './schema.js';
import { type UserRef } from './user-ref.js';

export interface TimerChange extends UserRef {
  canvasId: string;
  /** The timer to set, or null to delete the journey's timer. */
  timer: { stepId: string; entrySeq: number; dueAt: Date } | null;
}

export async function applyTimerChanges(tx: Executor, changes: readonly TimerChange[]): Promise<void> {
  const deletes = changes.filter((c) => c.timer === null);
  const sets = changes.filter((c): c is TimerChange & { timer: NonNullable<TimerChange['timer']> } => c.timer !== null);
  if (deletes.length > 0) {
    await sql`
      DELETE FROM timers t USING unnest(
        ${deletes.map((d) => d.workspaceId)}::uuid[], ${deletes.map((d) => d.userId)}::text[],
        ${deletes.map((d) => d.canvasId)}::uuid[]) AS k(w, u, c)
      WHERE t.workspace_id = k.w AND t.user_id = k.u AND t.canvas_id = k.c`.execute(tx);
  }
  if (sets.length === 0) return;
  await sql`
    INSERT INTO timers (workspace_id, user_id, canvas_id, entry_seq, step_id, due_at)
    SELECT * FROM unnest(
      ${sets.map((s) => s.workspaceId)}::uuid[], ${sets.map((s) => s.userId)}::text[],
      ${sets.map((s) => s.canvasId)}::uuid[], ${sets.map((s) => s.timer.entrySeq)}::int[],
      ${sets.map((s) => s.timer.stepId)}::text[], ${sets.map((s) => s.timer.dueAt.toISOString())}::timestamptz[])
    ON CONFLICT (workspace_id, user_id, canvas_id) DO UPDATE SET
      entry_seq = excluded.entry_seq, step_id = excluded.step_id, due_at = excluded.due_at`.execute(tx);
}

export interface ClaimedTimer extends UserRef {
  canvasId: string;
  entrySeq: number;
  stepId: string;
  dueAt: Date;
  canvasStatus: 'draft' | 'running' | 'paused' | 'archived';
}

/**
 * Workspaces with due timers: a lock-free read, one probe of the (workspace_id, due_at) index a
 * workspace. A workspace whose due timers all wait on paused canvases is named too; its claim finds none.
 */
export async function workspacesWithDueTimers(db: Executor, now: Date): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    SELECT w.id FROM workspaces w
    WHERE w.id IN (SELECT t.workspace_id FROM timers t WHERE t.due_at <= ${now})
    ORDER BY w.id`.execute(db);
  return rows.rows.map((r) => r.id);
}

/**
 * One workspace's due timers of running (or archived, to drop them) canvases, oldest first,
 * locked; others' claims are skipped. Paused and draft canvases are left out by an anti-join:
 * it keeps the row estimate true, so the planner walks the index in due order and stops at the limit.
 */
export async function claimDueTimers(tx: Tx, workspaceId: string, now: Date, limit: number): Promise<ClaimedTimer[]> {
  const rows = await sql<Selectable<TimersTable> & { status: ClaimedTimer['canvasStatus'] }>`
    WITH due AS (
      SELECT t.* FROM timers t
      WHERE t.workspace_id = ${workspaceId} AND t.due_at <= ${now}
        AND NOT EXISTS (SELECT 1 FROM canvases c WHERE c.workspace_id = t.workspace_id AND c.id = t.canvas_id
          AND c.status NOT IN ('running', 'archived'))
      ORDER BY t.due_at
      LIMIT ${limit}
      FOR UPDATE OF t SKIP LOCKED)
    SELECT d.workspace_id, d.user_id, d.canvas_id, d.entry_seq, d.step_id, d.due_at, c.status
    FROM due d JOIN canvases c ON c.workspace_id = d.workspace_id AND c.id = d.canvas_id
    WHERE c.workspace_id = ${workspaceId}
    ORDER BY d.due_at`.execute(tx);
  return rows.rows.map((r) => ({
    workspaceId: r.workspace_id,
    userId: r.user_id,
    canvasId: r.canvas_id,
    entrySeq: r.entry_seq,
    stepId: r.step_id,
    dueAt: r.due_at,
    canvasStatus: r.status,
  }));
}

/** Due timers waiting to fire and the lateness of the oldest, for the SRE dashboard. */
export async function dueTimerStats(db: Executor, now: Date): Promise<{ due: number; oldestDueAt: Date | null }> {
  // from the workspaces: each one's due timers are a range of the (workspace_id, due_at) index
  const row = await sql<{ due: string; oldest: Date | null }>`
    SELECT count(*) AS due, min(t.due_at) AS oldest
    FROM workspaces w
    JOIN timers t ON t.workspace_id = w.id AND t.due_at <= ${now}
    JOIN canvases c ON c.workspace_id = t.workspace_id AND c.id = t.canvas_id
    WHERE c.status = 'running'`.execute(db);
  return { due: Number(row.rows[0]?.due ?? 0), oldestDueAt: row.rows[0]?.oldest ?? null };
}
