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

/** Due timers of running (or archived, to drop them) canvases, locked; others' claims are skipped. */
export async function claimDueTimers(tx: Tx, now: Date, limit: number): Promise<ClaimedTimer[]> {
  const rows = await sql<Selectable<TimersTable> & { status: ClaimedTimer['canvasStatus'] }>`
    SELECT t.workspace_id, t.user_id, t.canvas_id, t.entry_seq, t.step_id, t.due_at, c.status
    FROM timers t JOIN canvases c ON c.workspace_id = t.workspace_id AND c.id = t.canvas_id
    WHERE t.due_at <= ${now} AND c.status IN ('running', 'archived')
    ORDER BY t.due_at
    LIMIT ${limit}
    FOR UPDATE OF t SKIP LOCKED`.execute(tx);
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
  const row = await sql<{ due: string; oldest: Date | null }>`
    SELECT count(*) AS due, min(t.due_at) AS oldest
    FROM timers t JOIN canvases c ON c.workspace_id = t.workspace_id AND c.id = t.canvas_id
    WHERE t.due_at <= ${now} AND c.status = 'running'`.execute(db);
  return { due: Number(row.rows[0]?.due ?? 0), oldestDueAt: row.rows[0]?.oldest ?? null };
}
