import { sql, type RawBuilder } from 'kysely';
import {
  deviceAdvertisingId,
  type CandidateFilter,
  type CountedBehaviour,
  type HistoryItem,
  type SegmentMember,
} from '@canvas/canvas';
import type { Executor, Tx } from './connection.js';
import { toProfile, type ProfileRow, type StoredProfile } from './profile.repository.js';
import { countedMembers, rollupCounts } from './segment-counts.repository.js';
import { rowsInRanges, rowsOfUsers, type UserIdRange } from './user-id-ranges.js';

/**
 * What a scan loads per candidate: the history of these events since this moment (null: all
 * kept), or, when `counted` is given, only those behaviours' counts from the daily rollup.
 */
export interface HistoryNeeds {
  events: readonly string[];
  since: Date | null;
  counted?: readonly CountedBehaviour[] | null | undefined;
}

/**
 * The user ids meeting a candidate filter, answered from the daily rollup, as one set
 * expression: all / any / never become INTERSECT / UNION / EXCEPT, so PostgreSQL builds each set
 * once with hashing (an OR of IN-subqueries re-scans a subquery per profile once the set
 * outgrows work_mem).
 */
function candidateSet(workspaceId: string, filter: CandidateFilter): RawBuilder<unknown> {
  if ('all' in filter || 'any' in filter) {
    const parts = 'all' in filter ? filter.all : filter.any;
    return sql`(${sql.join(
      parts.map((f) => candidateSet(workspaceId, f)),
      'all' in filter ? sql` INTERSECT ` : sql` UNION `,
    )})`;
  }
  const from = filter.fromDay === null ? sql`` : sql` AND d.day >= ${filter.fromDay}::date`;
  const to = filter.toDay === null ? sql`` : sql` AND d.day <= ${filter.toDay}::date`;
  if ('never' in filter)
    return sql`(SELECT user_id FROM user_profiles WHERE workspace_id = ${workspaceId}
      EXCEPT SELECT d.user_id FROM user_event_days d
      WHERE d.workspace_id = ${workspaceId} AND d.event = ${filter.never}${from}${to})`;
  const atLeast = filter.atLeast > 1 ? sql` GROUP BY d.user_id HAVING sum(d.occurrences) >= ${filter.atLeast}` : sql``;
  return sql`(SELECT d.user_id FROM user_event_days d
    WHERE d.workspace_id = ${workspaceId} AND d.event = ${filter.event}${from}${to}${atLeast})`;
}

/** The candidate filter as a condition on `user_profiles p`. */
export function candidateCondition(workspaceId: string, filter: CandidateFilter | null): RawBuilder<unknown> {
  return filter === null ? sql`true` : sql`p.user_id IN ${candidateSet(workspaceId, filter)}`;
}

export type { UserIdRange };

/**
 * The needed history of the given users of a workspace, by user id. History is partitioned by
 * day, so a lookup per user costs one index probe per partition; users whose ids lie close
 * together (pages of a scan, clusters of a sample) are read by their id ranges instead, one
 * index range scan per range and partition, and rows of other users in the ranges are dropped.
 */
export async function loadHistories(
  db: Executor,
  workspaceId: string,
  userIds: readonly string[],
  needs: HistoryNeeds,
  ranges?: readonly UserIdRange[],
): Promise<Map<string, HistoryItem[]>> {
  const history = new Map<string, HistoryItem[]>();
  if (userIds.length === 0 || needs.events.length === 0) return history;
  const since = needs.since === null ? sql`` : sql` AND occurred_at >= ${needs.since.toISOString()}::timestamptz`;
  const events = sql`user_events`;
  const where = sql`workspace_id = ${workspaceId} AND event = ANY(${[...needs.events]}::text[])${since}`;
  const rows = await sql<{ user_id: string; event: string; occurred_at: Date; properties: Record<string, unknown> }>`
    SELECT user_id, event, occurred_at, properties
    FROM ${ranges ? rowsInRanges(events, where, ranges) : rowsOfUsers(events, where, userIds)}`.execute(db);
  const wanted = ranges ? new Set(userIds) : undefined;
  for (const row of rows.rows) {
    if (wanted && !wanted.has(row.user_id)) continue;
    const items = history.get(row.user_id) ?? [];
    items.push({ event: row.event, at: row.occurred_at, properties: row.properties });
    history.set(row.user_id, items);
  }
  return history;
}

/**
 * The id range of users sorted by id, when they make up at least a quarter of the workspace's
 * profiles in that range (reading the range then costs less than a probe per user).
 */
async function denseRange(
  db: Executor,
  workspaceId: string,
  sortedIds: readonly string[],
): Promise<UserIdRange | undefined> {
  if (sortedIds.length < 100) return undefined;
  const range = { from: sortedIds[0]!, to: sortedIds[sortedIds.length - 1]! };
  const row = await sql<{ n: string }>`
    SELECT count(*) AS n FROM user_profiles
    WHERE workspace_id = ${workspaceId} AND user_id >= ${range.from} AND user_id <= ${range.to}`.execute(db);
  return sortedIds.length * 4 >= Number(row.rows[0]!.n) ? range : undefined;
}

const asMembers = (profiles: readonly StoredProfile[], history: Map<string, HistoryItem[]>): SegmentMember[] =>
  profiles.map((p) => ({
    profile: { userId: p.userId, traits: p.traits, context: p.context, firstSeenAt: p.firstSeenAt },
    history: history.get(p.userId) ?? [],
    advertisingId: deviceAdvertisingId(p.context),
  }));

/** The members' history, or their counts from the rollup when the needs allow it; read by `ranges` when given. */
async function withBehaviour(
  db: Executor,
  workspaceId: string,
  profiles: readonly StoredProfile[],
  needs: HistoryNeeds,
  ranges: readonly UserIdRange[] | undefined,
): Promise<SegmentMember[]> {
  const ids = profiles.map((p) => p.userId);
  if (needs.counted)
    return countedMembers(profiles, needs.counted, await rollupCounts(db, workspaceId, ids, needs.counted, ranges));
  return asMembers(profiles, await loadHistories(db, workspaceId, ids, needs, ranges));
}

/** Profiles (sorted by user id) and the needed history of those users, as the segment evaluator reads them. */
export async function loadSegmentMembers(
  db: Executor,
  workspaceId: string,
  profiles: readonly StoredProfile[],
  needs: HistoryNeeds,
): Promise<SegmentMember[]> {
  const ids = profiles.map((p) => p.userId);
  const range = needs.events.length > 0 ? await denseRange(db, workspaceId, ids) : undefined;
  return withBehaviour(db, workspaceId, profiles, needs, range && [range]);
}

/**
 * Every candidate of a workspace in pages of `pageSize`, each with profile and history loaded:
 * candidates are collected once into a temporary table (the filter runs once), then paged by
 * user id. Runs in the caller's transaction, which sees one snapshot throughout.
 */
export async function* scanCandidates(
  tx: Tx,
  workspaceId: string,
  filter: CandidateFilter | null,
  needs: HistoryNeeds,
  pageSize: number,
): AsyncGenerator<SegmentMember[]> {
  const source = filter === null ? sql`user_profiles` : sql`segment_scan`;
  if (filter !== null) {
    await sql`CREATE TEMPORARY TABLE segment_scan ON COMMIT DROP AS
      SELECT p.workspace_id, p.user_id FROM user_profiles p
      WHERE p.workspace_id = ${workspaceId} AND ${candidateCondition(workspaceId, filter)}`.execute(tx);
    await sql`ALTER TABLE segment_scan ADD PRIMARY KEY (workspace_id, user_id)`.execute(tx);
    // a temporary table has no statistics until analysed: without them each page may scan all profiles
    await sql`ANALYZE segment_scan`.execute(tx);
  }
  let after = '';
  for (;;) {
    const page = await sql<ProfileRow>`
      SELECT p.* FROM ${source} c
      JOIN user_profiles p ON p.workspace_id = c.workspace_id AND p.user_id = c.user_id
      WHERE c.workspace_id = ${workspaceId} AND c.user_id > ${after}
      ORDER BY c.user_id LIMIT ${pageSize}`.execute(tx);
    if (page.rows.length === 0) return;
    yield await loadSegmentMembers(tx, workspaceId, page.rows.map(toProfile), needs);
    after = page.rows[page.rows.length - 1]!.user_id;
    if (page.rows.length < pageSize) return;
  }
}

/** A sample of a workspace's profiles: the profiles in it and in the whole workspace. */
export interface SampleSize {
  sampled: number;
  total: number;
}

/**
 * The id ranges of `clusters` runs of `length` users adjacent in id order, `step` users apart,
 * the first `offset` users in: read through one cursor over the primary key (skipping is a walk
 * of its leaves, not a row number for every profile).
 */
async function clusterRanges(
  tx: Tx,
  workspaceId: string,
  layout: { total: number; step: number; length: number; offset: number },
): Promise<UserIdRange[]> {
  await sql`DECLARE sample_ids NO SCROLL CURSOR FOR
    SELECT user_id FROM user_profiles WHERE workspace_id = ${workspaceId} ORDER BY user_id`.execute(tx);
  const ranges: UserIdRange[] = [];
  let skip = layout.offset;
  for (let start = layout.offset; start < layout.total; start += layout.step) {
    if (skip > 0) await sql`MOVE FORWARD ${sql.raw(String(skip))} FROM sample_ids`.execute(tx);
    const ids = await sql<{ user_id: string }>`FETCH ${sql.raw(String(layout.length))} FROM sample_ids`.execute(tx);
    if (ids.rows.length === 0) break;
    ranges.push({ from: ids.rows[0]!.user_id, to: ids.rows.at(-1)!.user_id });
    skip = layout.step - layout.length;
  }
  await sql`CLOSE sample_ids`.execute(tx);
  return ranges;
}

/**
 * A systematic sample of about `size` of the workspace's `sizes.total` profiles, in `clusters`
 * runs of users adjacent in id order spread evenly over the workspace, read with their
 * behaviour by id ranges (cheap on the day-partitioned history): counted behaviour for every
 * cluster in one statement per table, raw history a cluster at a time. Yields
 * the members a cluster's length at a time and adds them to `sizes.sampled`. Runs in the
 * caller's transaction (one snapshot).
 */
export async function* scanSample(
  tx: Tx,
  workspaceId: string,
  needs: HistoryNeeds,
  size: number,
  clusters: number,
  sizes: SampleSize,
): AsyncGenerator<SegmentMember[]> {
  const step = Math.max(1, Math.floor(sizes.total / clusters));
  const length = Math.min(step, Math.ceil(size / clusters));
  // each cluster sits in the middle of its stretch of the id order
  const offset = Math.floor((step - length) / 2);
  const ranges = await clusterRanges(tx, workspaceId, { total: sizes.total, step, length, offset });
  // counts come back one row a user: every cluster at once; raw history is bounded by one cluster a read
  const perRead = needs.counted ? ranges.length : 1;
  for (let r = 0; r < ranges.length; r += perRead) {
    const read = ranges.slice(r, r + perRead);
    const page = await sql<ProfileRow>`
      SELECT d.* FROM ${rowsInRanges(sql`user_profiles`, sql`workspace_id = ${workspaceId}`, read)}
      ORDER BY d.user_id`.execute(tx);
    const members = await withBehaviour(tx, workspaceId, page.rows.map(toProfile), needs, read);
    sizes.sampled += members.length;
    for (let i = 0; i < members.length; i += length) yield members.slice(i, i + length);
  }
}

/** Profiles of a workspace (one index-only count). */
export async function profileCount(db: Executor, workspaceId: string): Promise<number> {
  const row = await sql<{
    n: string;
  }>`SELECT count(*) AS n FROM user_profiles WHERE workspace_id = ${workspaceId}`.execute(db);
  return Number(row.rows[0]!.n);
}
