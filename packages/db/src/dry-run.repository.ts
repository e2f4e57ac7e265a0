import { sql, type Selectable, type Updateable } from 'kysely';
import type { Executor, Tx } from './connection.js';
import { openDryRunStatuses, type DryRunStatus } from './dry-run-status.js';
import type { DryRunsTable } from './schema.js';

export interface DryRunRecord {
  id: string;
  workspaceId: string;
  canvasId: string;
  version: number;
  from: Date;
  to: Date;
  status: DryRunStatus;
  usersDone: number;
  usersTotal: number;
  pass: number;
  passes: number;
  /** History events read so far: what the workspace's daily budget counts. */
  costEvents: number;
  /** The projection of a finished run, as the API stored it. */
  result: unknown;
  failure: string | null;
  requestedBy: string;
  attempts: number;
  createdAt: Date;
  startedAt: Date | null;
  heartbeatAt: Date | null;
  finishedAt: Date | null;
}

/** A run a worker holds: its writes carry the lease, so a run taken over or cancelled stops. */
export interface ClaimedDryRun extends DryRunRecord {
  lease: string;
}

type Row = Selectable<DryRunsTable>;

const toRecord = (r: Row): DryRunRecord => ({
  id: r.id,
  workspaceId: r.workspace_id,
  canvasId: r.canvas_id,
  version: r.version,
  from: r.window_from,
  to: r.window_to,
  status: r.status,
  usersDone: Number(r.users_done),
  usersTotal: Number(r.users_total),
  pass: r.pass,
  passes: r.passes,
  costEvents: Number(r.cost_events),
  result: r.result,
  failure: r.failure,
  requestedBy: r.requested_by,
  attempts: r.attempts,
  createdAt: r.created_at,
  startedAt: r.started_at,
  heartbeatAt: r.heartbeat_at,
  finishedAt: r.finished_at,
});

export async function insertDryRun(
  db: Executor,
  run: {
    id: string;
    workspaceId: string;
    canvasId: string;
    version: number;
    from: Date;
    to: Date;
    requestedBy: string;
    now: Date;
  },
): Promise<DryRunRecord> {
  const row = await db
    .insertInto('dry_runs')
    .values({
      id: run.id,
      workspace_id: run.workspaceId,
      canvas_id: run.canvasId,
      version: run.version,
      window_from: run.from,
      window_to: run.to,
      status: 'queued',
      requested_by: run.requestedBy,
      created_at: run.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

export async function findDryRun(db: Executor, workspaceId: string, id: string): Promise<DryRunRecord | undefined> {
  const row = await db
    .selectFrom('dry_runs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toRecord(row);
}

/** A canvas's dry runs, newest first. */
export async function listDryRuns(
  db: Executor,
  workspaceId: string,
  canvasId: string,
  limit: number,
): Promise<DryRunRecord[]> {
  const rows = await db
    .selectFrom('dry_runs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('canvas_id', '=', canvasId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

/** The newest finished dry run of one canvas version, for the launch's quota check. */
export async function latestDoneDryRun(
  db: Executor,
  workspaceId: string,
  canvasId: string,
  version: number,
): Promise<DryRunRecord | undefined> {
  const row = await db
    .selectFrom('dry_runs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('canvas_id', '=', canvasId)
    .where('version', '=', version)
    .where('status', '=', 'done')
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toRecord(row);
}

/** A workspace's dry runs still queued or running. */
export async function openDryRuns(db: Executor, workspaceId: string): Promise<DryRunRecord[]> {
  const rows = await db
    .selectFrom('dry_runs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('status', 'in', [...openDryRunStatuses])
    .orderBy('created_at')
    .execute();
  return rows.map(toRecord);
}

/** History rows read by the workspace's dry runs asked for since `since`, and when the oldest was asked for. */
export async function dryRunCostSince(
  db: Executor,
  workspaceId: string,
  since: Date,
): Promise<{ events: number; oldest: Date | null }> {
  const row = await db
    .selectFrom('dry_runs')
    .select([sql<string>`coalesce(sum(cost_events), 0)`.as('events'), sql<Date | null>`min(created_at)`.as('oldest')])
    .where('workspace_id', '=', workspaceId)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return { events: Number(row.events), oldest: row.oldest };
}

/** Workspaces with a queued run or one whose worker stopped beating before `staleBefore`: a lock-free read. */
export async function workspacesWithClaimableDryRuns(db: Executor, staleBefore: Date): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    SELECT w.id FROM workspaces w
    WHERE w.id IN (
      SELECT workspace_id FROM dry_runs
      WHERE status = 'queued' OR (status = 'running' AND heartbeat_at < ${staleBefore.toISOString()}::timestamptz))
    ORDER BY w.id`.execute(db);
  return rows.rows.map((r) => r.id);
}

/**
 * Takes the workspace's oldest queued run, or a running one whose worker stopped beating before
 * `staleBefore` (a replica died), under a new lease. A run taken over `maxAttempts` times is
 * failed instead, so a run that kills its worker cannot go round forever.
 */
export async function claimDryRun(
  tx: Tx,
  claim: { workspaceId: string; lease: string; now: Date; staleBefore: Date; maxAttempts: number },
): Promise<ClaimedDryRun | undefined> {
  await tx
    .updateTable('dry_runs')
    .set({ status: 'failed', failure: 'interrupted', lease: null, finished_at: claim.now })
    .where('workspace_id', '=', claim.workspaceId)
    .where('status', '=', 'running')
    .where('heartbeat_at', '<', claim.staleBefore)
    .where('attempts', '>=', claim.maxAttempts)
    .execute();
  const candidate = await sql<{ id: string }>`
    SELECT id FROM dry_runs
    WHERE workspace_id = ${claim.workspaceId} AND (status = 'queued'
      OR (status = 'running' AND heartbeat_at < ${claim.staleBefore.toISOString()}::timestamptz))
    ORDER BY created_at, id LIMIT 1
    FOR UPDATE SKIP LOCKED`.execute(tx);
  const id = candidate.rows[0]?.id;
  if (id === undefined) return undefined;
  const row = await tx
    .updateTable('dry_runs')
    .set((eb) => ({
      status: 'running',
      lease: claim.lease,
      attempts: eb('attempts', '+', 1),
      started_at: claim.now,
      heartbeat_at: claim.now,
      users_done: 0,
      cost_events: 0,
      pass: 0,
    }))
    .where('workspace_id', '=', claim.workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...toRecord(row), lease: claim.lease };
}

/** Changes a run only while this lease still holds it running; false when it no longer does. */
async function updateHeldRun(
  db: Executor,
  id: string,
  lease: string,
  change: Updateable<DryRunsTable>,
): Promise<boolean> {
  const rows = await db
    .updateTable('dry_runs')
    .set(change)
    .where('id', '=', id)
    .where('lease', '=', lease)
    .where('status', '=', 'running')
    .returning('id')
    .execute();
  return rows.length > 0;
}

/** Progress of a held run; false when the run is no longer this lease's (cancelled or taken over). */
export async function recordDryRunProgress(
  db: Executor,
  id: string,
  lease: string,
  progress: { usersDone: number; usersTotal: number; pass: number; passes: number; costEvents: number; now: Date },
): Promise<boolean> {
  return updateHeldRun(db, id, lease, {
    users_done: progress.usersDone,
    users_total: progress.usersTotal,
    pass: progress.pass,
    passes: progress.passes,
    cost_events: progress.costEvents,
    heartbeat_at: progress.now,
  });
}

/** Ends a held run: done with its result, or failed with a reason; false when it was no longer this lease's. */
export async function finishDryRun(
  db: Executor,
  id: string,
  lease: string,
  end:
    | { status: 'done'; result: unknown; costEvents: number; now: Date }
    | { status: 'failed'; failure: string; costEvents: number; now: Date },
): Promise<boolean> {
  return updateHeldRun(db, id, lease, {
    status: end.status,
    result: end.status === 'done' ? JSON.stringify(end.result) : null,
    failure: end.status === 'failed' ? end.failure : null,
    cost_events: end.costEvents,
    lease: null,
    finished_at: end.now,
    heartbeat_at: end.now,
  });
}

/** Gives a held run back to the queue (its worker is stopping); another replica starts it over. */
export async function releaseDryRun(db: Executor, id: string, lease: string): Promise<void> {
  await updateHeldRun(db, id, lease, { status: 'queued', lease: null });
}

/** Cancels a queued or running run (its worker sees it at its next page); answers the run as it now stands. */
export async function cancelDryRun(
  db: Executor,
  workspaceId: string,
  id: string,
  now: Date,
): Promise<DryRunRecord | undefined> {
  const cancelled = await db
    .updateTable('dry_runs')
    .set({ status: 'cancelled', lease: null, finished_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', 'in', [...openDryRunStatuses])
    .returningAll()
    .executeTakeFirst();
  return cancelled ? toRecord(cancelled) : findDryRun(db, workspaceId, id);
}
