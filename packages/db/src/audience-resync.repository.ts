import { sql, type Selectable } from 'kysely';
import { openResyncStatuses, type ResyncStatus } from '@canvas/canvas';
import type { Executor } from './connection.js';
import type { AudienceResyncsTable } from './schema.js';

/** Why a resync is waiting or ended: what Meta (or the sync) last said. */
export interface ResyncError {
  code: string;
  message: string;
  metaCode?: number | null;
  metaSubcode?: number | null;
  fbtraceId?: string | null;
  at: string;
}

/** A resync of a following step's audience, as stored. */
export interface Resync {
  id: string;
  metaAccountId: string;
  workspaceId: string;
  canvasId: string;
  stepId: string;
  adAccountId: string;
  audienceId: string;
  status: ResyncStatus;
  requestedBy: string;
  /** The segment run whose result it uploads; null when it uploads the members as they are. */
  runScheduledAt: Date | null;
  /** The current Meta replace session. */
  sessionId: string | null;
  sessionsStarted: number;
  sessionStartedAt: Date | null;
  batchSize: number | null;
  members: number | null;
  batches: number | null;
  /** Batches of the current session Meta acknowledged: the next batch_seq is one more. */
  batchesSent: number;
  schema: string[] | null;
  added: number | null;
  removed: number | null;
  invalidEntries: number;
  stage: string | null;
  attempts: number;
  nextAttemptAt: Date;
  lastError: ResyncError | null;
  requestedAt: Date;
  startedAt: Date | null;
  confirmingSince: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

type Row = Selectable<AudienceResyncsTable>;

export const toResync = (r: Row): Resync => ({
  id: r.id,
  metaAccountId: r.meta_account_id,
  workspaceId: r.workspace_id,
  canvasId: r.canvas_id,
  stepId: r.step_id,
  adAccountId: r.ad_account_id,
  audienceId: r.audience_id,
  status: r.status,
  requestedBy: r.requested_by,
  runScheduledAt: r.run_scheduled_at,
  sessionId: r.session_id,
  sessionsStarted: r.sessions_started,
  sessionStartedAt: r.session_started_at,
  batchSize: r.batch_size,
  members: r.members,
  batches: r.batches,
  batchesSent: r.batches_sent,
  schema: r.schema,
  added: r.added,
  removed: r.removed,
  invalidEntries: r.invalid_entries,
  stage: r.stage,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: (r.last_error as ResyncError | null) ?? null,
  requestedAt: r.requested_at,
  startedAt: r.started_at,
  confirmingSince: r.confirming_since,
  finishedAt: r.finished_at,
  updatedAt: r.updated_at,
});

/** A following step's audience target, as launch resolved it. */
export interface ResyncTarget {
  stepId: string;
  metaAccountId: string;
  adAccountId: string;
  audienceId: string;
}

/**
 * Asks for a resync of each step's audience; a step that already has an open resync (or one for
 * the same run) gets none. Answers the resyncs created.
 */
export async function requestResyncs(
  db: Executor,
  request: {
    workspaceId: string;
    canvasId: string;
    targets: readonly (ResyncTarget & { id: string })[];
    requestedBy: string;
    runScheduledAt: Date | null;
    now: Date;
  },
): Promise<Resync[]> {
  if (request.targets.length === 0) return [];
  const rows = await db
    .insertInto('audience_resyncs')
    .values(
      request.targets.map((t) => ({
        id: t.id,
        meta_account_id: t.metaAccountId,
        workspace_id: request.workspaceId,
        canvas_id: request.canvasId,
        step_id: t.stepId,
        ad_account_id: t.adAccountId,
        audience_id: t.audienceId,
        status: 'waiting' as const,
        requested_by: request.requestedBy,
        run_scheduled_at: request.runScheduledAt,
        next_attempt_at: request.now,
        requested_at: request.now,
        updated_at: request.now,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .execute();
  return rows.map(toResync);
}

/** A step's resyncs, newest first. */
export async function listResyncs(
  db: Executor,
  workspaceId: string,
  canvasId: string,
  stepId: string,
  limit: number,
): Promise<Resync[]> {
  const rows = await db
    .selectFrom('audience_resyncs')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('canvas_id', '=', canvasId)
    .where('step_id', '=', stepId)
    .orderBy('requested_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toResync);
}

/** The newest resync of each step of a canvas. */
export async function latestResyncs(db: Executor, workspaceId: string, canvasId: string): Promise<Resync[]> {
  const rows = await sql<Row>`
    SELECT DISTINCT ON (step_id) * FROM audience_resyncs
    WHERE workspace_id = ${workspaceId} AND canvas_id = ${canvasId}
    ORDER BY step_id, requested_at DESC, id`.execute(db);
  return rows.rows.map(toResync);
}

/**
 * Other steps, of canvases not archived, whose launched or draft versions send to this audience:
 * replacing it would take away their users too.
 */
export async function audienceSharers(
  db: Executor,
  workspaceId: string,
  audienceId: string,
  own: { canvasId: string; stepId: string },
): Promise<{ canvasId: string; stepId: string }[]> {
  const rows = await sql<{ canvas_id: string; step_id: string }>`
    SELECT DISTINCT v.canvas_id, r.key AS step_id FROM canvas_versions v
    JOIN canvases c ON c.workspace_id = v.workspace_id AND c.id = v.canvas_id, jsonb_each(v.resolved) r
    WHERE c.workspace_id = ${workspaceId} AND c.status <> 'archived' AND r.value->>'audienceId' = ${audienceId}
      AND NOT (v.canvas_id = ${own.canvasId} AND r.key = ${own.stepId})
    ORDER BY v.canvas_id, r.key`.execute(db);
  return rows.rows.map((r) => ({ canvasId: r.canvas_id, stepId: r.step_id }));
}

/** An open resync of the Meta account, with what deciding its next move needs. */
export interface DueResync extends Resync {
  canvasStatus: string;
  /** The status of the run it waits for; null when there is none (or it was never recorded). */
  runStatus: string | null;
}

/** Open resyncs of a Meta account whose next attempt is due, oldest first. */
export async function dueResyncs(db: Executor, metaAccountId: string, now: Date, limit = 50): Promise<DueResync[]> {
  const rows = await sql<Row & { canvas_status: string; run_status: string | null }>`
    SELECT x.*, c.status AS canvas_status, r.status AS run_status FROM audience_resyncs x
    JOIN canvases c ON c.workspace_id = x.workspace_id AND c.id = x.canvas_id
    LEFT JOIN segment_runs r ON r.workspace_id = x.workspace_id AND r.canvas_id = x.canvas_id
      AND r.scheduled_at = x.run_scheduled_at
    WHERE x.meta_account_id = ${metaAccountId} AND x.status IN (${sql.join([...openResyncStatuses])})
      AND x.next_attempt_at <= ${now}
    ORDER BY x.requested_at LIMIT ${limit}`.execute(db);
  return rows.rows.map((r) => ({ ...toResync(r), canvasStatus: r.canvas_status, runStatus: r.run_status }));
}

/** Audiences of the Meta account with an open resync: their other writes wait for it. */
export async function resyncingAudiences(db: Executor, metaAccountId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('audience_resyncs')
    .select('audience_id')
    .distinct()
    .where('meta_account_id', '=', metaAccountId)
    .where('status', 'in', [...openResyncStatuses])
    .execute();
  return new Set(rows.map((r) => r.audience_id));
}

export async function findResync(db: Executor, metaAccountId: string, id: string): Promise<Resync | undefined> {
  const row = await db
    .selectFrom('audience_resyncs')
    .selectAll()
    .where('meta_account_id', '=', metaAccountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toResync(row);
}

/** What moves a resync on: the fields to change, applied only while it is still open. */
export interface ResyncChange {
  status?: ResyncStatus;
  sessionId?: string;
  sessionsStarted?: number;
  sessionStartedAt?: Date | null;
  batchesSent?: number;
  addInvalidEntries?: number;
  stage?: string | null;
  attempts?: number;
  nextAttemptAt?: Date;
  lastError?: ResyncError | null;
  confirmingSince?: Date | null;
  finishedAt?: Date;
}

/** Applies a change to an open resync; answers the resync as it now is, or undefined if it had ended. */
export async function updateResync(
  db: Executor,
  resync: { metaAccountId: string; id: string },
  change: ResyncChange,
  now: Date,
): Promise<Resync | undefined> {
  const row = await db
    .updateTable('audience_resyncs')
    .set((eb) => ({
      updated_at: now,
      ...(change.status === undefined ? {} : { status: change.status }),
      ...(change.sessionId === undefined ? {} : { session_id: change.sessionId }),
      ...(change.sessionsStarted === undefined ? {} : { sessions_started: change.sessionsStarted }),
      ...(change.sessionStartedAt === undefined ? {} : { session_started_at: change.sessionStartedAt }),
      ...(change.batchesSent === undefined ? {} : { batches_sent: change.batchesSent }),
      ...(change.addInvalidEntries ? { invalid_entries: eb('invalid_entries', '+', change.addInvalidEntries) } : {}),
      ...(change.stage === undefined ? {} : { stage: change.stage }),
      ...(change.attempts === undefined ? {} : { attempts: change.attempts }),
      ...(change.nextAttemptAt === undefined ? {} : { next_attempt_at: change.nextAttemptAt }),
      ...(change.lastError === undefined
        ? {}
        : { last_error: change.lastError === null ? null : JSON.stringify(change.lastError) }),
      ...(change.confirmingSince === undefined ? {} : { confirming_since: change.confirmingSince }),
      ...(change.finishedAt === undefined ? {} : { finished_at: change.finishedAt }),
    }))
    .where('meta_account_id', '=', resync.metaAccountId)
    .where('id', '=', resync.id)
    .where('status', 'in', [...openResyncStatuses])
    .returningAll()
    .executeTakeFirst();
  return row && toResync(row);
}

/** Ends a resync that will not complete (failed, or unconfirmed by Meta) and drops its member list. */
export async function endResync(
  tx: Executor,
  resync: { metaAccountId: string; id: string },
  end: { status: 'failed' | 'unconfirmed'; error: ResyncError; stage?: string | null },
  now: Date,
): Promise<Resync | undefined> {
  const stage = end.stage === undefined ? {} : { stage: end.stage };
  const ended = await updateResync(
    tx,
    resync,
    { status: end.status, lastError: end.error, finishedAt: now, ...stage },
    now,
  );
  await tx
    .deleteFrom('audience_resync_members')
    .where('meta_account_id', '=', resync.metaAccountId)
    .where('resync_id', '=', resync.id)
    .execute();
  return ended;
}
