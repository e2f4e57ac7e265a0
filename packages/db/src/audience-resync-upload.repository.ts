import { sql } from 'kysely';
import { statusMetric } from '@canvas/canvas';
import type { Executor } from './connection.js';
import type { CounterDelta } from './counter.repository.js';
import type { MovedEntryRow } from './entry-step-row.js';
import { toResync, type Resync } from './audience-resync.repository.js';

type Target = Pick<Resync, 'id' | 'workspaceId' | 'metaAccountId' | 'canvasId' | 'stepId' | 'audienceId'>;

/**
 * Fixes the members a resync uploads: everyone the step has in its audience (the latest add of each
 * member that is Pending, Synced or Errored, with the hashed values stored for it), numbered into
 * batches of `batchSize` in user order. Counts against what the product believes Meta holds — users
 * whose latest Synced entry for the audience is an add — how many the replace adds and removes.
 * Safe to run again: an earlier, interrupted snapshot is replaced.
 */
export async function snapshotResyncMembers(
  tx: Executor,
  resync: Target,
  options: { batchSize: number; orderColumns: (columns: string[]) => string[]; now: Date },
): Promise<Resync> {
  const { id, metaAccountId: meta, canvasId, stepId, audienceId } = resync;
  await tx
    .deleteFrom('audience_resync_members')
    .where('meta_account_id', '=', meta)
    .where('resync_id', '=', id)
    .execute();
  // per member, its add by index (a lateral LIMIT 1): fast whatever the planner guesses of fresh tables
  await sql`
    INSERT INTO audience_resync_members (meta_account_id, resync_id, workspace_id, batch, user_id, entry_seq, schema,
      row_values)
    SELECT ${meta}, ${id}::uuid, m.workspace_id,
      ((row_number() OVER (ORDER BY m.user_id) - 1) / ${options.batchSize}) + 1,
      m.user_id, m.entry_seq, a.schema, a.row_values
    FROM segment_audience_members m
    CROSS JOIN LATERAL (
      SELECT a.schema, a.row_values FROM audience_entries a
      WHERE a.workspace_id = m.workspace_id AND a.canvas_id = m.canvas_id AND a.step_id = m.step_id
        AND a.user_id = m.user_id AND a.entry_seq = m.entry_seq AND a.action = 'add' AND a.meta_account_id IS NOT NULL
        AND a.status IN ('pending', 'synced', 'errored') AND cardinality(a.row_values) > 0
      ORDER BY a.id DESC LIMIT 1) a
    WHERE m.canvas_id = ${canvasId} AND m.step_id = ${stepId}`.execute(tx);
  // a full join: hashed or merged whatever the planner guesses of the rows just inserted
  const counts = await sql<{ members: string; added: string; removed: string }>`
    SELECT count(u.user_id) AS members,
      count(*) FILTER (WHERE u.user_id IS NOT NULL AND b.user_id IS NULL) AS added,
      count(*) FILTER (WHERE u.user_id IS NULL) AS removed
    FROM (SELECT workspace_id, user_id FROM audience_resync_members
      WHERE meta_account_id = ${meta} AND resync_id = ${id}) u
    FULL JOIN (
      SELECT workspace_id, user_id FROM (
        SELECT DISTINCT ON (user_id) workspace_id, user_id, action FROM audience_entries
        WHERE workspace_id = ${resync.workspaceId} AND canvas_id = ${canvasId} AND step_id = ${stepId}
          AND audience_id = ${audienceId} AND status = 'synced'
        ORDER BY user_id, id DESC) latest
      WHERE action = 'add') b ON b.workspace_id = u.workspace_id AND b.user_id = u.user_id`.execute(tx);
  const columns = await sql<{ columns: string[] | null }>`
    SELECT array_agg(DISTINCT c) AS columns FROM audience_resync_members m, unnest(m.schema) c
    WHERE m.meta_account_id = ${meta} AND m.resync_id = ${id}`.execute(tx);
  const row = counts.rows[0];
  const members = Number(row?.members ?? 0);
  const updated = await tx
    .updateTable('audience_resyncs')
    .set({
      batch_size: options.batchSize,
      members,
      batches: Math.ceil(members / options.batchSize),
      schema: options.orderColumns(columns.rows[0]?.columns ?? []),
      added: Number(row?.added ?? 0),
      removed: Number(row?.removed ?? 0),
      started_at: options.now,
      updated_at: options.now,
    })
    .where('meta_account_id', '=', meta)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toResync(updated);
}

/** One stored member row of a resync batch: its user and the values in the schema they were stored with. */
export interface ResyncRow {
  userId: string;
  schema: string[];
  values: string[];
}

/** Batch `batch` (1-based) of a resync's members, in user order: the same rows every time it is read. */
export async function resyncBatchRows(db: Executor, resync: Target, batch: number): Promise<ResyncRow[]> {
  const rows = await db
    .selectFrom('audience_resync_members')
    .select(['user_id', 'schema', 'row_values'])
    .where('meta_account_id', '=', resync.metaAccountId)
    .where('resync_id', '=', resync.id)
    .where('batch', '=', batch)
    .orderBy('user_id')
    .execute();
  return rows.map((r) => ({ userId: r.user_id, schema: r.schema, values: r.row_values }));
}

/** Members whose rows Meta named invalid: the resync does not count them as delivered. */
export async function markResyncRowsRefused(
  db: Executor,
  resync: Target,
  batch: number,
  userIds: readonly string[],
): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .updateTable('audience_resync_members')
    .set({ refused: true })
    .where('meta_account_id', '=', resync.metaAccountId)
    .where('resync_id', '=', resync.id)
    .where('batch', '=', batch)
    .where('user_id', 'in', [...userIds])
    .execute();
}

const moved = (rows: readonly MovedEntryRow[]): CounterDelta[] =>
  rows.flatMap((r) => [
    {
      workspaceId: r.workspace_id,
      canvasId: r.canvas_id,
      version: r.version,
      stepId: r.step_id,
      metric: statusMetric(r.was, r.origin),
      delta: -1,
    },
    {
      workspaceId: r.workspace_id,
      canvasId: r.canvas_id,
      version: r.version,
      stepId: r.step_id,
      metric: statusMetric('synced', r.origin),
      delta: 1,
    },
  ]);

/**
 * After Meta replaced the audience: the adds of one batch's members that were Pending (held while the
 * resync ran) or Errored (never delivered, e.g. an outage outlasted their retry window) are Synced —
 * their values reached the audience. Rows Meta named invalid stay as they are.
 */
export async function settleResyncBatch(
  tx: Executor,
  resync: Target,
  batch: number,
  now: Date,
): Promise<CounterDelta[]> {
  const rows = await sql<MovedEntryRow>`
    WITH covered AS (
      SELECT e.workspace_id, e.meta_account_id, e.id, e.was FROM audience_resync_members m
      CROSS JOIN LATERAL (
        SELECT e.workspace_id, e.meta_account_id, e.id, e.status AS was FROM audience_entries e
        WHERE e.workspace_id = ${resync.workspaceId} AND e.workspace_id = m.workspace_id
          AND e.canvas_id = ${resync.canvasId} AND e.step_id = ${resync.stepId}
          AND e.user_id = m.user_id
          AND e.entry_seq = m.entry_seq AND e.action = 'add' AND e.meta_account_id = ${resync.metaAccountId}
          AND e.audience_id = ${resync.audienceId} AND e.status IN ('pending', 'errored')
        LIMIT 1
        FOR UPDATE) e
      WHERE m.workspace_id = ${resync.workspaceId} AND m.meta_account_id = ${resync.metaAccountId}
        AND m.resync_id = ${resync.id} AND m.batch = ${batch}
        AND NOT m.refused
      ORDER BY m.user_id)
    UPDATE audience_entries e SET status = 'synced', sent_at = ${now}, last_error = NULL, updated_at = ${now}
    FROM covered c WHERE e.workspace_id = c.workspace_id AND e.meta_account_id = c.meta_account_id AND e.id = c.id
    RETURNING e.workspace_id, e.canvas_id, e.version, e.step_id, e.origin, c.was`.execute(tx);
  return moved(rows.rows);
}

/**
 * Finishes a resync Meta confirmed: pending removals of the audience are Synced when the replace
 * did them (the user was not uploaded) or made them moot (a newer add of the user was uploaded); a
 * removal of the very add that was uploaded came later and stays for the usual path, as does an
 * erasure's (the user may have been uploaded before it). The resync is done and its member list dropped.
 */
export async function completeResync(
  tx: Executor,
  resync: Target,
  stage: string,
  now: Date,
): Promise<{ resync: Resync | undefined; counters: CounterDelta[] }> {
  const ended = await tx
    .updateTable('audience_resyncs')
    .set({ status: 'done', stage, finished_at: now, updated_at: now, last_error: null })
    .where('meta_account_id', '=', resync.metaAccountId)
    .where('id', '=', resync.id)
    .where('status', '=', 'confirming')
    .returningAll()
    .executeTakeFirst();
  // completed before: removals handed off since then are not the replace's
  if (!ended) return { resync: undefined, counters: [] };
  const rows = await sql<MovedEntryRow>`
    WITH done AS (
      SELECT e.workspace_id, e.meta_account_id, e.id FROM audience_entries e
      WHERE e.workspace_id = ${resync.workspaceId} AND e.meta_account_id = ${resync.metaAccountId}
        AND e.canvas_id = ${resync.canvasId}
        AND e.step_id = ${resync.stepId} AND e.audience_id = ${resync.audienceId}
        AND e.action = 'remove' AND e.status = 'pending'
        -- an erasure's removal names the user by hash: it goes the usual way once the resync ends
        AND e.origin <> 'erasure'
        AND NOT EXISTS (SELECT 1 FROM audience_resync_members m
          WHERE m.workspace_id = e.workspace_id AND m.meta_account_id = ${resync.metaAccountId}
            AND m.resync_id = ${resync.id} AND m.user_id = e.user_id AND m.entry_seq <= e.entry_seq)
      ORDER BY e.id
      FOR UPDATE OF e)
    UPDATE audience_entries e SET status = 'synced', sent_at = ${now}, last_error = NULL, updated_at = ${now}
    FROM done d WHERE e.workspace_id = d.workspace_id AND e.meta_account_id = d.meta_account_id AND e.id = d.id
    RETURNING e.workspace_id, e.canvas_id, e.version, e.step_id, e.origin, 'pending' AS was`.execute(tx);
  await tx
    .deleteFrom('audience_resync_members')
    .where('meta_account_id', '=', resync.metaAccountId)
    .where('resync_id', '=', resync.id)
    .execute();
  return { resync: toResync(ended), counters: moved(rows.rows) };
}
