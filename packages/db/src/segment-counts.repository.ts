import { sql, type RawBuilder } from 'kysely';
import {
  deviceAdvertisingId,
  type BehaviourCondition,
  type CountedBehaviour,
  type SegmentCondition,
  type SegmentMember,
} from '@canvas/canvas';
import type { Executor, Tx } from './connection.js';
import { type ProfileRow, type StoredProfile } from './profile.repository.js';
import { rowsInRanges, rowsOfUsers, type UserIdRange } from './user-id-ranges.js';

export type { UserIdRange };

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const at = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;
const and = (parts: RawBuilder<unknown>[]) => (parts.length === 0 ? sql`true` : sql.join(parts, sql` AND `));
const or = (parts: RawBuilder<unknown>[]) => (parts.length === 0 ? sql`false` : sql.join(parts, sql` OR `));

/** Profiles as the evaluator reads them, with the counts of the counted behaviours (0 for users without any). */
export const countedMembers = (
  profiles: readonly Pick<StoredProfile, 'userId' | 'traits' | 'context' | 'firstSeenAt'>[],
  counted: readonly CountedBehaviour[],
  counts: Map<string, number[]>,
): SegmentMember[] =>
  profiles.map((p) => {
    const n = counts.get(p.userId);
    return {
      profile: { userId: p.userId, traits: p.traits, context: p.context, firstSeenAt: p.firstSeenAt },
      history: [],
      advertisingId: deviceAdvertisingId(p.context),
      counts: new Map<BehaviourCondition, number>(counted.map((c, i) => [c.condition, n?.[i] ?? 0])),
    };
  });

const dayMs = 86_400_000;
const startOfDay = (ms: number) => Math.floor(ms / dayMs) * dayMs;

/**
 * The days of a counted behaviour whose rollup row may straddle its window's edge (the first and
 * the last day of the window; none for "ever"), each with the part of the window inside it.
 */
function edgeDays(c: CountedBehaviour): ({ day: number; from: number; to: number } | null)[] {
  const days = [c.from, c.to].map((edge) => (edge === null ? null : startOfDay(edge)));
  if (days[0] !== null && days[0] === days[1]) days[1] = null;
  return days.map((day) =>
    day === null
      ? null
      : { day, from: Math.max(c.from ?? day, day), to: Math.min((c.to ?? Infinity) + 1, day + dayMs) },
  );
}

/** The rollup rows a behaviour counts whole, and the condition of a row straddling its edge day. */
function windowRows(c: CountedBehaviour): {
  known: RawBuilder<unknown>;
  straddles: (edge: { day: number }) => RawBuilder<unknown>;
} {
  const onDays = and([
    sql`event = ${c.event}`,
    ...(c.from === null ? [] : [sql`day >= ${isoDay(c.from)}::date`]),
    ...(c.to === null ? [] : [sql`day <= ${isoDay(c.to)}::date`]),
  ]);
  const inside = and([
    ...(c.from === null ? [] : [sql`first_at >= ${at(c.from)}`]),
    ...(c.to === null ? [] : [sql`last_at < ${at(c.to + 1)}`]),
  ]);
  const outside = or([
    ...(c.from === null ? [] : [sql`last_at < ${at(c.from)}`]),
    ...(c.to === null ? [] : [sql`first_at >= ${at(c.to + 1)}`]),
  ]);
  return {
    known: sql`${onDays} AND ${inside}`,
    straddles: (edge) =>
      sql`event = ${c.event} AND day = ${isoDay(edge.day)}::date AND NOT (${inside}) AND NOT (${outside})`,
  };
}

/** Per counted behaviour, the occurrences on its days whose first and last events lie in the window. */
const knownColumn = (counted: readonly CountedBehaviour[]) =>
  sql`ARRAY[${sql.join(
    counted.map((c) => sql`coalesce(sum(occurrences) FILTER (WHERE ${windowRows(c).known}), 0)::int`),
  )}]`;

/**
 * Columns of the rollup aggregate: `known` (see `knownColumn`), and per edge day whether its row
 * straddles the window's edge (`open`, two per behaviour) — those events are counted one by one.
 */
function countColumns(counted: readonly CountedBehaviour[]): { known: RawBuilder<unknown>; open: RawBuilder<unknown> } {
  const open = counted.flatMap((c) =>
    edgeDays(c).map((edge) =>
      edge === null ? sql`false` : sql`coalesce(bool_or(${windowRows(c).straddles(edge)}), false)`,
    ),
  );
  return { known: knownColumn(counted), open: sql`ARRAY[${sql.join(open)}]` };
}

/** Rollup rows of the counted events on the days of their windows (other partitions are pruned). */
function countedRows(workspaceId: string, counted: readonly CountedBehaviour[]): RawBuilder<unknown> {
  const froms = counted.map((c) => c.from);
  const tos = counted.map((c) => c.to);
  return and([
    sql`workspace_id = ${workspaceId}`,
    sql`event = ANY(${[...new Set(counted.map((c) => c.event))]}::text[])`,
    ...(froms.includes(null) ? [] : [sql`day >= ${isoDay(Math.min(...(froms as number[])))}::date`]),
    ...(tos.includes(null) ? [] : [sql`day <= ${isoDay(Math.max(...(tos as number[])))}::date`]),
  ]);
}

/** Adds the events of users whose edge day straddles the window (`straddling[2i + j]`: edge j of behaviour i). */
async function countStraddling(
  db: Executor,
  workspaceId: string,
  counted: readonly CountedBehaviour[],
  straddling: readonly string[][],
  counts: Map<string, number[]>,
): Promise<void> {
  for (const [i, c] of counted.entries())
    for (const [j, edge] of edgeDays(c).entries()) {
      const ids = straddling[2 * i + j] ?? [];
      if (edge === null || ids.length === 0) continue;
      const exact = await sql<{ user_id: string; n: number }>`
        SELECT user_id, count(*)::int AS n FROM user_events
        WHERE workspace_id = ${workspaceId} AND user_id = ANY(${ids}::text[]) AND event = ${c.event}
          AND occurred_at >= ${at(edge.from)} AND occurred_at < ${at(edge.to)}
        GROUP BY user_id`.execute(db);
      for (const row of exact.rows) {
        const n = counts.get(row.user_id)!;
        n[i] = (n[i] ?? 0) + row.n;
      }
    }
}

/**
 * Occurrences of each counted behaviour per user, read from the daily rollup: a day's row counts
 * whole when its first and last event lie in the window, not at all when both lie outside, and
 * only the rare day that straddles a window's edge is counted from the events themselves. The
 * evaluator's Dates hold milliseconds, so "at ≤ to" is "occurred_at < to + 1 ms" here. Users
 * without rollup rows are absent (every count 0). With `ranges`, rows are read by id range and
 * those of other users dropped.
 */
export async function rollupCounts(
  db: Executor,
  workspaceId: string,
  userIds: readonly string[],
  counted: readonly CountedBehaviour[],
  ranges?: readonly UserIdRange[],
): Promise<Map<string, number[]>> {
  const counts = new Map<string, number[]>();
  if (userIds.length === 0 || counted.length === 0) return counts;
  const rollup = sql`user_event_days`;
  const where = countedRows(workspaceId, counted);
  const columns = countColumns(counted);
  const rows = await sql<{ user_id: string; known: number[]; open: boolean[] }>`
    SELECT user_id, ${columns.known} AS known, ${columns.open} AS open
    FROM ${ranges ? rowsInRanges(rollup, where, ranges) : rowsOfUsers(rollup, where, userIds)}
    GROUP BY user_id`.execute(db);
  const wanted = ranges ? new Set(userIds) : undefined;
  const straddling = counted.flatMap(() => [[], []] as string[][]);
  for (const row of rows.rows) {
    if (wanted && !wanted.has(row.user_id)) continue;
    counts.set(row.user_id, row.known);
    row.open.forEach((o, i) => {
      if (o) straddling[i]!.push(row.user_id);
    });
  }
  await countStraddling(db, workspaceId, counted, straddling, counts);
  return counts;
}

/**
 * A necessary condition for membership on the counts `k` (one per counted behaviour, in order):
 * behaviour conditions as the evaluator tests them, profile and reachability conditions left
 * true (only the evaluator decides those). The segment language has no negation above a
 * condition, so this only narrows.
 */
export function countNarrowing(
  condition: SegmentCondition,
  counted: readonly CountedBehaviour[],
  k: (i: number) => RawBuilder<unknown>,
): RawBuilder<unknown> {
  if ('all' in condition) return sql`(${and(condition.all.map((c) => countNarrowing(c, counted, k)))})`;
  if ('any' in condition) return sql`(${or(condition.any.map((c) => countNarrowing(c, counted, k)))})`;
  if (!('behaviour' in condition)) return sql`true`;
  const i = counted.findIndex((c) => c.condition === condition.behaviour);
  const { op, value } = condition.behaviour.count ?? { op: 'gte', value: 1 };
  const n = k(i);
  const holds = op === 'gte' ? sql`${n} >= ${value}` : op === 'eq' ? sql`${n} = ${value}` : sql`${n} <= ${value}`;
  return condition.behaviour.did ? sql`(${holds})` : sql`NOT (${holds})`;
}

/** What was counted, as a run records it: a slice uses stored counts only if its segment counts the same. */
export const countedKey = (counted: readonly CountedBehaviour[]): string =>
  JSON.stringify(counted.map((c) => [c.event, c.from, c.to]));

/**
 * Counts the counted behaviours of every user of the workspace with rollup rows in their windows,
 * into the temporary table `segment_counts (user_id, known)`, dropped at commit: one hashed
 * aggregate over the windows' partitions (read user by user, the rollup's heap is visited row by
 * row), then the rare users whose day straddles a window's edge are counted from their events.
 */
export async function collectCounts(tx: Tx, workspaceId: string, counted: readonly CountedBehaviour[]): Promise<void> {
  // the aggregate holds a row per active user: in memory it is one pass, spilled it is several
  await sql`SET LOCAL work_mem = '128MB'`.execute(tx);
  // only the sums: a flag per edge day would double every group's state and spill it to disk
  await sql`CREATE TEMPORARY TABLE segment_counts ON COMMIT DROP AS
    SELECT user_id, ${knownColumn(counted)} AS known
    FROM user_event_days WHERE ${countedRows(workspaceId, counted)} GROUP BY user_id`.execute(tx);
  // the rare users whose edge day straddles a window's edge: found on that day's partition, counted from their events
  for (const [i, c] of counted.entries())
    for (const edge of edgeDays(c)) {
      if (edge === null) continue;
      const straddling = await sql<{ user_id: string }>`
        SELECT DISTINCT user_id FROM user_event_days
        WHERE workspace_id = ${workspaceId} AND ${windowRows(c).straddles(edge)}`.execute(tx);
      if (straddling.rows.length === 0) continue;
      await sql`
        UPDATE segment_counts s SET known[${i + 1}] = s.known[${i + 1}] + (
          SELECT count(*) FROM user_events
          WHERE workspace_id = ${workspaceId} AND user_id = s.user_id AND event = ${c.event}
            AND occurred_at >= ${at(edge.from)} AND occurred_at < ${at(edge.to)})
        WHERE s.user_id = ANY(${straddling.rows.map((r) => r.user_id)}::text[])`.execute(tx);
    }
  // a temporary table has no statistics until analysed
  await sql`ANALYZE segment_counts`.execute(tx);
}

/** Counts of `segment_counts` as a column of profiles `p` (zeros for users without rollup rows). */
export const countsOf = (counted: readonly CountedBehaviour[]) =>
  sql`coalesce(c.known, ${counted.map(() => 0)}::int[])`;

/** The narrowing of `countNarrowing` on the joined `segment_counts c`. */
export const narrowedByCounts = (condition: SegmentCondition, counted: readonly CountedBehaviour[]) =>
  countNarrowing(condition, counted, (i) => sql`coalesce(c.known[${i + 1}], 0)`);

/**
 * Every profile of a workspace that may be a member, with its counts, in pages of `pageSize`
 * through one cursor over the profiles joined to `collectCounts`, narrowed by the behaviour
 * conditions. Runs in the caller's transaction.
 */
export async function* scanCounted(
  tx: Tx,
  workspaceId: string,
  condition: SegmentCondition,
  counted: readonly CountedBehaviour[],
  pageSize: number,
): AsyncGenerator<SegmentMember[]> {
  await collectCounts(tx, workspaceId, counted);
  // only what the evaluator reads; first seen as epoch milliseconds (floored, as a parsed Date
  // would be), a number to read rather than a timestamp to parse
  await sql`DECLARE segment_counted NO SCROLL CURSOR FOR
    SELECT p.user_id, p.traits, p.context, floor(extract(epoch FROM p.first_seen_at) * 1000)::float8 AS first_seen_ms,
      ${countsOf(counted)} AS counts
    FROM user_profiles p LEFT JOIN segment_counts c ON c.user_id = p.user_id
    WHERE p.workspace_id = ${workspaceId} AND ${narrowedByCounts(condition, counted)}`.execute(tx);
  type CountedRow = Pick<ProfileRow, 'user_id' | 'traits' | 'context'> & { first_seen_ms: number; counts: number[] };
  for (;;) {
    const page = await sql<CountedRow>`FETCH ${sql.raw(String(pageSize))} FROM segment_counted`.execute(tx);
    if (page.rows.length === 0) break;
    const counts = new Map(page.rows.map((row) => [row.user_id, row.counts]));
    const profiles = page.rows.map((row) => ({
      userId: row.user_id,
      traits: row.traits,
      context: row.context,
      firstSeenAt: new Date(row.first_seen_ms),
    }));
    yield countedMembers(profiles, counted, counts);
    if (page.rows.length < pageSize) break;
  }
  await sql`CLOSE segment_counted`.execute(tx);
}
