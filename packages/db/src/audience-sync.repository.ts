import { sql, type ExpressionBuilder, type NotNull, type RawBuilder, type UpdateObject } from 'kysely';
import { compositeKey, statusMetric, type AudienceStatus, type EntryErrorCode } from '@canvas/canvas';
import type { Executor } from './connection.js';
import type { Database } from './schema.js';
import type { EntryError } from './audience-entry.repository.js';
import type { CounterDelta } from './counter.repository.js';
import type { EntryStepRow } from './entry-step-row.js';

/** Entries sent together: one audience, one action, one step of one canvas version. */
export interface EntryGroup {
  workspaceId: string;
  adAccountId: string;
  audienceId: string;
  action: 'add' | 'remove';
  canvasId: string;
  version: number;
  stepId: string;
  schema: string[];
}

export interface DueEntry {
  id: string;
  values: string[];
}

/**
 * A removal waits while an earlier add of the same user to the same Meta audience is still pending —
 * its own step's, another step's that shares the audience, or any canvas's — so Meta never sees them
 * out of order.
 */
const notAheadOfItsAdd = sql<boolean>`(audience_entries.action = 'add' OR NOT EXISTS (
  SELECT 1 FROM audience_entries a
  WHERE a.workspace_id = audience_entries.workspace_id AND a.user_id = audience_entries.user_id
    AND a.audience_id = audience_entries.audience_id AND a.id < audience_entries.id
    AND a.action = 'add' AND a.status = 'pending'))`;

export const groupKey = (g: EntryGroup) =>
  compositeKey(g.adAccountId, g.audienceId, g.action, g.canvasId, g.version, g.stepId, ...g.schema);

/** Groups of one Meta account with entries due now, for the given (connected) workspace connections. */
export async function dueGroups(
  db: Executor,
  metaAccountId: string,
  adAccountIds: readonly string[],
  now: Date,
  limit = 1000,
): Promise<EntryGroup[]> {
  if (adAccountIds.length === 0) return [];
  const rows = await db
    .selectFrom('audience_entries')
    .select(['workspace_id', 'ad_account_id', 'audience_id', 'action', 'canvas_id', 'version', 'step_id', 'schema'])
    .distinct()
    .where('meta_account_id', '=', metaAccountId)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where('ad_account_id', 'in', [...adAccountIds])
    .where(notAheadOfItsAdd)
    // rows of a Meta account always have their connection and audience (CHECK audience_entries_target_or_errored)
    .$narrowType<{ ad_account_id: NotNull; audience_id: NotNull }>()
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    workspaceId: r.workspace_id,
    adAccountId: r.ad_account_id,
    audienceId: r.audience_id,
    action: r.action,
    canvasId: r.canvas_id,
    version: r.version,
    stepId: r.step_id,
    schema: r.schema,
  }));
}

/** The next page of a group's due entries after an id, in id order. */
export async function dueEntriesPage(
  db: Executor,
  metaAccountId: string,
  group: EntryGroup,
  afterId: string,
  now: Date,
  limit: number,
): Promise<DueEntry[]> {
  const rows = await db
    .selectFrom('audience_entries')
    .select(['id', 'row_values'])
    .where('workspace_id', '=', group.workspaceId)
    .where('meta_account_id', '=', metaAccountId)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where('ad_account_id', '=', group.adAccountId)
    .where('audience_id', '=', group.audienceId)
    .where('action', '=', group.action)
    .where('canvas_id', '=', group.canvasId)
    .where('version', '=', group.version)
    .where('step_id', '=', group.stepId)
    .where(sql<boolean>`schema = ${group.schema}::text[]`)
    .where(sql<boolean>`id > ${afterId}::bigint`)
    .where(notAheadOfItsAdd)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, values: r.row_values }));
}

function deltas(rows: readonly EntryStepRow[], status: AudienceStatus): CounterDelta[] {
  return rows.flatMap((r) => [
    {
      workspaceId: r.workspace_id,
      canvasId: r.canvas_id,
      version: r.version,
      stepId: r.step_id,
      metric: statusMetric('pending', r.origin),
      delta: -1,
    },
    {
      workspaceId: r.workspace_id,
      canvasId: r.canvas_id,
      version: r.version,
      stepId: r.step_id,
      metric: statusMetric(status, r.origin),
      delta: 1,
    },
  ]);
}

/** Moves entries still pending to a final status; only rows still pending move, so a re-send is counted once. */
async function settlePending(
  tx: Executor,
  metaAccountId: string,
  ids: readonly string[],
  status: 'synced' | 'not_synced' | 'errored',
  set: (eb: ExpressionBuilder<Database, 'audience_entries'>) => UpdateObject<Database, 'audience_entries'>,
): Promise<CounterDelta[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .updateTable('audience_entries')
    .set((eb) => ({ ...set(eb), status }))
    .where('meta_account_id', '=', metaAccountId)
    .where('id', 'in', [...ids])
    .where('status', '=', 'pending')
    .returning(['workspace_id', 'canvas_id', 'version', 'step_id', 'origin'])
    .execute();
  return deltas(rows, status);
}

/** Pending → synced. */
export const markSynced = (tx: Executor, metaAccountId: string, ids: readonly string[], now: Date) =>
  settlePending(tx, metaAccountId, ids, 'synced', (eb) => ({
    sent_at: now,
    attempts: eb('attempts', '+', 1),
    last_error: null,
    updated_at: now,
  }));

/** Pending → not synced: Meta refused the user's row as invalid; the reason is kept for the per-user answer. */
export const markRefused = (
  tx: Executor,
  metaAccountId: string,
  ids: readonly string[],
  error: EntryError,
  now: Date,
) =>
  settlePending(tx, metaAccountId, ids, 'not_synced', (eb) => ({
    sent_at: now,
    attempts: eb('attempts', '+', 1),
    last_error: JSON.stringify(error),
    updated_at: now,
  }));

/** Pending → errored, with the reason kept for the per-user answer. */
export const markErrored = (
  tx: Executor,
  metaAccountId: string,
  ids: readonly string[],
  error: EntryError,
  now: Date,
  countAttempt = true,
) =>
  settlePending(tx, metaAccountId, ids, 'errored', (eb) => ({
    attempts: countAttempt ? eb('attempts', '+', 1) : eb.ref('attempts'),
    last_error: JSON.stringify(error),
    updated_at: now,
  }));

/** Keeps entries pending until a later time, noting why. */
export async function deferEntries(
  tx: Executor,
  metaAccountId: string,
  ids: readonly string[],
  change: { nextAttemptAt: Date; error: EntryError; countAttempt: boolean; now: Date },
): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .updateTable('audience_entries')
    .set((eb) => ({
      next_attempt_at: change.nextAttemptAt,
      last_error: JSON.stringify(change.error),
      updated_at: change.now,
      attempts: change.countAttempt ? eb('attempts', '+', 1) : eb.ref('attempts'),
    }))
    .where('meta_account_id', '=', metaAccountId)
    .where('id', 'in', [...ids])
    .where('status', '=', 'pending')
    .execute();
}

/** Notes the reason on every pending entry of a workspace connection without touching its schedule. */
export async function notePendingReason(
  tx: Executor,
  metaAccountId: string,
  adAccountId: string,
  error: EntryError,
  now: Date,
): Promise<void> {
  await tx
    .updateTable('audience_entries')
    .set({ last_error: JSON.stringify(error), updated_at: now })
    .where('meta_account_id', '=', metaAccountId)
    .where('ad_account_id', '=', adAccountId)
    .where('status', '=', 'pending')
    .execute();
}

/** Why the sync gave up on an entry (alias `e`), keeping what Meta last said of it. */
const gaveUp = (code: EntryErrorCode, message: RawBuilder<string>, now: Date) => sql`jsonb_build_object(
  'code', ${code}::text, 'message', ${message}, 'lastCode', e.last_error->>'code',
  'metaCode', e.last_error->'metaCode', 'metaSubcode', e.last_error->'metaSubcode',
  'fbtraceId', e.last_error->'fbtraceId',
  'classification', e.last_error->>'classification', 'at', ${now.toISOString()}::text)`;

/** A pending entry's connection is held (the sync cannot use it): its retry window does not run. */
const heldConnection = sql<boolean>`EXISTS (
  SELECT 1 FROM ad_accounts h
  WHERE h.workspace_id = audience_entries.workspace_id AND h.id = audience_entries.ad_account_id
    AND h.held_since IS NOT NULL)`;

/**
 * Entries still pending when their retry window closed become errored with the last reason;
 * entries of a held connection wait for it (their window moves on when it is reconnected).
 */
export async function expireOverdue(
  tx: Executor,
  metaAccountId: string,
  now: Date,
  limit = 10_000,
): Promise<CounterDelta[]> {
  const rows = await sql<EntryStepRow>`
    UPDATE audience_entries e SET status = 'errored', updated_at = ${now},
      last_error = ${gaveUp(
        'RETRY_WINDOW_OVER',
        sql`'not delivered before the retry window closed; last error: ' || coalesce(e.last_error->>'message', 'none')`,
        now,
      )}
    WHERE e.meta_account_id = ${metaAccountId} AND (e.workspace_id, e.meta_account_id, e.id) IN (
      SELECT workspace_id, meta_account_id, id FROM audience_entries
      WHERE meta_account_id = ${metaAccountId} AND status = 'pending' AND deadline_at <= ${now}
        AND NOT ${heldConnection}
      LIMIT ${limit})
    RETURNING e.workspace_id, e.canvas_id, e.version, e.step_id, e.origin`.execute(tx);
  return deltas(rows.rows, 'errored');
}

/**
 * Entries held longer than `holdLimitMs` by a connection that was never restored become errored
 * CREDENTIAL_NOT_RESTORED; each user's hold counts from the later of the hold's start and its hand-off.
 */
export async function expireHeld(
  tx: Executor,
  metaAccountId: string,
  now: Date,
  holdLimitMs: number,
  limit = 10_000,
): Promise<CounterDelta[]> {
  const since = new Date(now.getTime() - holdLimitMs);
  const rows = await sql<EntryStepRow>`
    UPDATE audience_entries e SET status = 'errored', updated_at = ${now},
      last_error = ${gaveUp(
        'CREDENTIAL_NOT_RESTORED',
        sql`'the ad account stayed ' || replace(a.status, '_', ' ') || ' for longer than the hold limit; last error: '
          || coalesce(e.last_error->>'message', a.status_reason, 'none')`,
        now,
      )}
    FROM ad_accounts a
    WHERE a.workspace_id = e.workspace_id AND a.id = e.ad_account_id AND a.meta_account_id = ${metaAccountId}
      AND a.held_since <= ${since}
      AND e.meta_account_id = ${metaAccountId} AND (e.workspace_id, e.meta_account_id, e.id) IN (
        SELECT workspace_id, meta_account_id, id FROM audience_entries
        WHERE meta_account_id = ${metaAccountId} AND status = 'pending' AND entered_at <= ${since}
          AND ad_account_id = a.id
        LIMIT ${limit})
    RETURNING e.workspace_id, e.canvas_id, e.version, e.step_id, e.origin`.execute(tx);
  return deltas(rows.rows, 'errored');
}

/** Pending users of a Meta account, those of them waiting on a held connection, and the oldest hand-off. */
export async function pendingStats(
  db: Executor,
  metaAccountId: string,
): Promise<{ pending: number; held: number; oldestEnteredAt: Date | null }> {
  const row = await db
    .selectFrom('audience_entries')
    .select([
      sql<string>`count(*)`.as('n'),
      sql<string>`count(*) FILTER (WHERE ${heldConnection})`.as('held'),
      sql<Date | null>`min(entered_at)`.as('oldest'),
    ])
    .where('meta_account_id', '=', metaAccountId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return { pending: Number(row.n), held: Number(row.held), oldestEnteredAt: row.oldest };
}

/** Meta ad accounts some workspace connects, with or without work. */
export async function connectedMetaAccounts(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('ad_accounts').select('meta_account_id').distinct().execute();
  return rows.map((r) => r.meta_account_id);
}

/** Audiences canvases send to on one Meta account: the quota grows by 40 per audience. */
export async function audiencesOnAccount(db: Executor, metaAccountId: string): Promise<number> {
  const row = await sql<{ n: string }>`
    SELECT count(DISTINCT r.value->>'audienceId') AS n FROM canvas_versions v, jsonb_each(v.resolved) r
    WHERE r.value->>'metaAccountId' = ${metaAccountId}`.execute(db);
  return Number(row.rows[0]?.n ?? 0);
}

export interface Pacing {
  lastRequestAt: Date | null;
  throttledUntil: Date | null;
}

export async function readPacing(db: Executor, metaAccountId: string): Promise<Pacing> {
  const row = await db
    .selectFrom('meta_account_pacing')
    .select(['last_request_at', 'throttled_until'])
    .where('meta_account_id', '=', metaAccountId)
    .executeTakeFirst();
  return { lastRequestAt: row?.last_request_at ?? null, throttledUntil: row?.throttled_until ?? null };
}

export async function savePacing(
  db: Executor,
  metaAccountId: string,
  pacing: { lastRequestAt?: Date; throttledUntil?: Date; usagePercent?: number },
  now: Date,
): Promise<void> {
  await db
    .insertInto('meta_account_pacing')
    .values({
      meta_account_id: metaAccountId,
      last_request_at: pacing.lastRequestAt ?? null,
      throttled_until: pacing.throttledUntil ?? null,
      usage_percent: pacing.usagePercent ?? null,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.column('meta_account_id').doUpdateSet((eb) => ({
        last_request_at: sql`greatest(meta_account_pacing.last_request_at, ${eb.ref('excluded.last_request_at')})`,
        throttled_until: sql`greatest(meta_account_pacing.throttled_until, ${eb.ref('excluded.throttled_until')})`,
        usage_percent: sql`coalesce(${eb.ref('excluded.usage_percent')}, meta_account_pacing.usage_percent)`,
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** Every pending entry of a workspace connection → errored, e.g. when the connection is deleted. */
export async function errorPendingOfConnection(
  tx: Executor,
  adAccountId: string,
  error: EntryError,
  now: Date,
): Promise<CounterDelta[]> {
  const rows = await tx
    .updateTable('audience_entries')
    .set({ status: 'errored', last_error: JSON.stringify(error), updated_at: now })
    .where('ad_account_id', '=', adAccountId)
    .where('status', '=', 'pending')
    .returning(['workspace_id', 'canvas_id', 'version', 'step_id', 'origin'])
    .execute();
  return deltas(rows, 'errored');
}

/** Attempts so far of one entry (a batch's entries travel together, so one speaks for all). */
export async function entryAttempts(db: Executor, metaAccountId: string, id: string): Promise<number> {
  const row = await db
    .selectFrom('audience_entries')
    .select('attempts')
    .where('meta_account_id', '=', metaAccountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.attempts ?? 0;
}
