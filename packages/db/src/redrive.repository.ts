import { sql } from 'kysely';
import {
  redrivableCodes,
  redriveSkips,
  statusMetric,
  type AudienceStatus,
  type EntryOrigin,
  type RedriveSkip,
} from '@canvas/canvas';
import { optedOutOfAds } from './ad-opt-out.sql.js';
import type { Executor, Tx } from './connection.js';
import type { CounterDelta } from './counter.repository.js';
import type { RedrivesTable } from './schema.js';
import type { Selectable } from 'kysely';

/** Users a re-drive moved to Pending, by the status they had. */
export interface RedriveMoved {
  errored: number;
  notSynced: number;
}

/** One re-drive of a Facebook step: who asked, when, how many users it sent again and why it left the others. */
export interface Redrive {
  id: string;
  workspaceId: string;
  canvasId: string;
  stepId: string;
  /** Label of the API key that asked. */
  requestedBy: string;
  apiKeyId: string;
  requestedAt: Date;
  idempotencyKey: string | null;
  note: string | null;
  users: number;
  moved: RedriveMoved;
  skipped: Record<RedriveSkip, number>;
}

/** Where the users a re-drive sent stand now (those a later re-drive sent again count there). */
export type RedriveProgress = Record<AudienceStatus, number>;

export interface RedriveRequest {
  id: string;
  workspaceId: string;
  canvasId: string;
  stepId: string;
  requestedBy: string;
  apiKeyId: string;
  idempotencyKey: string | null;
  note: string | null;
  now: Date;
  /** The fresh retry window each user gets, as at a hand-off. */
  retryWindowMs: number;
}

/** A connection of the step's Meta ad account that the sync cannot use now. */
export interface UnusableConnection {
  metaAccountId: string;
  status: string;
  reason: string | null;
  users: number;
}

export type RedriveResult =
  | { outcome: 'created'; redrive: Redrive; counters: CounterDelta[] }
  /** The same Idempotency-Key for the same step: the re-drive it made, nothing moved again. */
  | { outcome: 'replayed'; redrive: Redrive }
  /** The Idempotency-Key was used for another step's re-drive. */
  | { outcome: 'key_reused'; redrive: Redrive }
  /** The step's users would go to a connection that is disconnected or has terms unaccepted: nothing moved. */
  | { outcome: 'unusable'; connections: UnusableConnection[] };

// one re-drive of a step at a time (pg_advisory_xact_lock(space, key)); ownership uses 7316
const lockSpace = 7317;

const zeroSkips = (): Record<RedriveSkip, number> =>
  Object.fromEntries(redriveSkips.map((s) => [s, 0])) as Record<RedriveSkip, number>;

const toRedrive = (row: Selectable<RedrivesTable>): Redrive => ({
  id: row.id,
  workspaceId: row.workspace_id,
  canvasId: row.canvas_id,
  stepId: row.step_id,
  requestedBy: row.requested_by,
  apiKeyId: row.api_key_id,
  requestedAt: row.requested_at,
  idempotencyKey: row.idempotency_key,
  note: row.note,
  users: row.users,
  moved: { errored: row.moved.errored ?? 0, notSynced: row.moved.notSynced ?? 0 },
  skipped: { ...zeroSkips(), ...row.skipped },
});

/** An entry a re-drive looks at: Errored or Not synced, at the step (each use names the workspace too). */
const atStep = (canvasId: string, stepId: string) =>
  sql<boolean>`e.canvas_id = ${canvasId} AND e.step_id = ${stepId} AND e.status IN ('errored', 'not_synced')`;

/** The entry's reason allows sending it again (an Errored entry without one is sent). */
const sendable = sql<boolean>`CASE WHEN e.last_error->>'code' IS NULL THEN e.status = 'errored'
  ELSE e.last_error->>'code' = ANY(${redrivableCodes}::text[]) END`;

/**
 * Sends a Facebook step's Errored users, and Not synced users whose reason is not final, again:
 * in one transaction they become Pending with a fresh retry window, through the workspace's
 * connection to their Meta ad account, tagged with the re-drive; their counters move with them
 * (so entered = synced + not_synced + pending + errored still holds) and the re-drive is recorded.
 *
 * Left where they are: final reasons, users erased, adds of users who opted out of ads since, and
 * entries a later entry of the same user to the same Meta audience supersedes (sending them would
 * undo it). Re-drives of one step run one at a time, and a second finds nobody left to move; an
 * Idempotency-Key answers its first re-drive again. Refused (nothing moves) while a connection
 * the users would go through is disconnected or has its terms unaccepted: the sync holds those
 * users anyway, and sends them on reconnecting.
 */
export async function startRedrive(tx: Tx, request: RedriveRequest): Promise<RedriveResult> {
  const { canvasId, stepId, workspaceId, now } = request;
  await sql`SELECT pg_advisory_xact_lock(${lockSpace}, hashtext(${`${canvasId}:${stepId}`}))`.execute(tx);
  if (request.idempotencyKey !== null) {
    const earlier = await tx
      .selectFrom('redrives')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('idempotency_key', '=', request.idempotencyKey)
      .executeTakeFirst();
    if (earlier)
      return {
        outcome: earlier.canvas_id === canvasId && earlier.step_id === stepId ? 'replayed' : 'key_reused',
        redrive: toRedrive(earlier),
      };
  }

  const unusable = await sql<{ meta_account_id: string; status: string; status_reason: string | null; n: string }>`
    SELECT a.meta_account_id, a.status, a.status_reason, count(*) AS n
    FROM audience_entries e
    JOIN ad_accounts a ON a.workspace_id = e.workspace_id AND a.meta_account_id = e.meta_account_id
    WHERE e.workspace_id = ${workspaceId} AND ${atStep(canvasId, stepId)} AND ${sendable} AND a.status <> 'connected'
    GROUP BY a.meta_account_id, a.status, a.status_reason`.execute(tx);
  if (unusable.rows.length > 0)
    return {
      outcome: 'unusable',
      connections: unusable.rows.map((r) => ({
        metaAccountId: r.meta_account_id,
        status: r.status,
        reason: r.status_reason,
        users: Number(r.n),
      })),
    };

  // consent is read from locked profiles: an opt-out applied meanwhile either comes first (the add
  // stays) or finds the add Pending and hands off its removal, as for any pending add
  await sql`SELECT count(*) FROM (
    SELECT 1 FROM user_profiles u
    WHERE u.workspace_id = ${workspaceId} AND u.user_id IN (
      SELECT e.user_id FROM audience_entries e
      WHERE e.workspace_id = ${workspaceId} AND ${atStep(canvasId, stepId)} AND e.action = 'add')
    ORDER BY u.workspace_id, u.user_id
    FOR SHARE OF u) locked`.execute(tx);

  const deadline = new Date(now.getTime() + request.retryWindowMs);
  // entries an erasure is rewriting right now are skipped, never waited for
  const rows = await sql<{
    part: 'moved' | 'verdict' | 'all';
    version: number | null;
    origin: EntryOrigin | null;
    key: string;
    n: string;
  }>`
    WITH picked AS (
      SELECT e.id, e.workspace_id, e.user_id, e.audience_id, e.meta_account_id, e.action, e.origin, e.status,
        e.version, ${sendable} AS sendable
      FROM audience_entries e
      WHERE e.workspace_id = ${workspaceId} AND ${atStep(canvasId, stepId)}
      FOR UPDATE OF e SKIP LOCKED
    ), judged AS (
      SELECT p.*, a.id AS connection_id,
        CASE
          WHEN p.meta_account_id IS NULL OR NOT p.sendable THEN 'final'
          WHEN p.origin = 'erasure' OR EXISTS (
            SELECT 1 FROM erasures x WHERE x.workspace_id = p.workspace_id AND x.user_hash = p.user_id) THEN 'erased'
          WHEN EXISTS (
            SELECT 1 FROM audience_entries l
            WHERE l.workspace_id = p.workspace_id AND l.user_id = p.user_id AND l.audience_id = p.audience_id
              AND l.id > p.id) THEN 'superseded'
          WHEN p.action = 'add' AND EXISTS (
            SELECT 1 FROM user_profiles u
            WHERE u.workspace_id = p.workspace_id AND u.user_id = p.user_id AND ${optedOutOfAds('u')}) THEN 'opted_out'
          WHEN a.id IS NULL THEN 'no_connection'
          ELSE 'send'
        END AS verdict
      FROM picked p
      LEFT JOIN ad_accounts a ON a.workspace_id = p.workspace_id AND a.meta_account_id = p.meta_account_id
    ), moved AS (
      UPDATE audience_entries e
      SET status = 'pending', ad_account_id = j.connection_id, redrive_id = ${request.id}, attempts = 0,
        next_attempt_at = ${now}, deadline_at = ${deadline}, sent_at = NULL, updated_at = ${now}
      FROM judged j
      WHERE e.workspace_id = j.workspace_id AND e.id = j.id AND j.verdict = 'send'
      RETURNING e.version, e.origin, j.status AS was
    )
    SELECT 'moved' AS part, version, origin, was AS key, count(*) AS n FROM moved GROUP BY version, origin, was
    UNION ALL
    SELECT 'verdict', NULL, NULL, verdict, count(*) FROM judged GROUP BY verdict
    UNION ALL
    SELECT 'all', NULL, NULL, 'all', count(*) FROM audience_entries e
    WHERE e.workspace_id = ${workspaceId} AND ${atStep(canvasId, stepId)}`.execute(tx);

  const moved: RedriveMoved = { errored: 0, notSynced: 0 };
  const skipped = zeroSkips();
  const counters: CounterDelta[] = [];
  let judged = 0;
  let all = 0;
  for (const row of rows.rows) {
    const n = Number(row.n);
    if (row.part === 'all') all = n;
    else if (row.part === 'verdict') {
      judged += n;
      if (row.key !== 'send') skipped[row.key as RedriveSkip] += n;
    } else {
      const was = row.key as Exclude<AudienceStatus, 'pending' | 'synced'>;
      if (was === 'errored') moved.errored += n;
      else moved.notSynced += n;
      const origin = row.origin ?? 'step';
      const at = { workspaceId, canvasId, version: row.version ?? 0, stepId };
      counters.push(
        { ...at, metric: statusMetric(was, origin), delta: -n },
        { ...at, metric: statusMetric('pending', origin), delta: n },
      );
    }
  }
  skipped.busy = Math.max(0, all - judged);
  const inserted = await tx
    .insertInto('redrives')
    .values({
      id: request.id,
      workspace_id: workspaceId,
      canvas_id: canvasId,
      step_id: stepId,
      requested_by: request.requestedBy,
      api_key_id: request.apiKeyId,
      requested_at: now,
      idempotency_key: request.idempotencyKey,
      note: request.note,
      users: moved.errored + moved.notSynced,
      moved: JSON.stringify(moved),
      skipped: JSON.stringify(skipped),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { outcome: 'created', redrive: toRedrive(inserted), counters };
}

/** One re-drive of the workspace, with where its users stand now. */
export async function findRedrive(
  db: Executor,
  workspaceId: string,
  id: string,
): Promise<(Redrive & { progress: RedriveProgress }) | undefined> {
  const row = await db
    .selectFrom('redrives')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const progress = await redriveProgress(db, [row.id]);
  return { ...toRedrive(row), progress: progress.get(row.id) ?? emptyProgress() };
}

/** A step's re-drives, newest first, with where their users stand now. */
export async function listRedrives(
  db: Executor,
  workspaceId: string,
  canvasId: string,
  stepId: string,
  limit = 50,
): Promise<(Redrive & { progress: RedriveProgress })[]> {
  const rows = await db
    .selectFrom('redrives')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('canvas_id', '=', canvasId)
    .where('step_id', '=', stepId)
    .orderBy('requested_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  const progress = await redriveProgress(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...toRedrive(r), progress: progress.get(r.id) ?? emptyProgress() }));
}

const emptyProgress = (): RedriveProgress => ({ pending: 0, synced: 0, not_synced: 0, errored: 0 });

async function redriveProgress(db: Executor, ids: readonly string[]): Promise<Map<string, RedriveProgress>> {
  const progress = new Map<string, RedriveProgress>();
  if (ids.length === 0) return progress;
  const rows = await sql<{ redrive_id: string; status: AudienceStatus; n: string }>`
    SELECT redrive_id, status, count(*) AS n FROM audience_entries
    WHERE redrive_id = ANY(${[...ids]}::uuid[]) GROUP BY redrive_id, status`.execute(db);
  for (const row of rows.rows) {
    const entry = progress.get(row.redrive_id) ?? emptyProgress();
    entry[row.status] = Number(row.n);
    progress.set(row.redrive_id, entry);
  }
  return progress;
}
