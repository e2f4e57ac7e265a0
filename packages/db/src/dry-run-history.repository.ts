import { sql, type RawBuilder } from 'kysely';
import type { HistoryItem, ReplayEvent } from '@canvas/canvas';
import type { Executor } from './connection.js';
import { leaseConnection, type LeasedConnection } from './leased-connection.js';
import type { StoredProfile } from './profile.repository.js';

/** What a dry run reads: the same for each of its ranges. */
export interface ReplayReadRequest {
  workspaceId: string;
  /** Profiles per page, in user-id order: what the run replays between two progress reports. */
  users: number;
  /** The window: events in [from, to). */
  from: Date;
  to: Date;
  /** Events the canvas reacts to (trigger, goal, exit criteria); only these are replayed. */
  events: readonly string[];
  /** Events a segment of the canvas reads, since when (possibly before the window; null: all kept). */
  history?: { events: readonly string[]; since: Date | null } | undefined;
  /**
   * Per event, the top-level properties some condition reads (`cart` for `cart.total`): only
   * those are read; events not named here come without properties.
   */
  properties: Readonly<Record<string, readonly string[]>>;
  /** Every profile of the page (segment entries), not only users with window events. */
  everyProfile: boolean;
}

/** One range: the profiles after `after`, `rangeUsers` of them at most, read by one sorted statement. */
export interface ReplayRangeRequest extends ReplayReadRequest {
  /** The range starts after this user id ('' for the first range). */
  after: string;
  rangeUsers: number;
}

/** One user of a page, ready for the replay. */
export interface ReplayPageUser {
  profile: StoredProfile;
  events: ReplayEvent[];
  history: HistoryItem[];
}

/** A user as read: the events stay JSON text until the replay comes to them, so a page's objects die young. */
export interface ReplayPageRow {
  user_id: string;
  traits: Record<string, unknown>;
  context: Record<string, unknown>;
  first_seen: number;
  last_seen: number;
  /** The profile's place in its range, from 1. */
  n: string;
  /** History rows read for the user (null: none). */
  rows: string | null;
  /** `[[name's index, ms, properties read?], …]` in time order (null: none). */
  events: string | null;
}

export interface ReplayPage {
  /** Profiles the page covered. */
  profiles: number;
  /** The page's users with something to replay (every profile, for segment entries), in user-id order. */
  users: ReplayPageRow[];
  /** History rows read: the page's cost. */
  rows: number;
  /** The range's last page. */
  last: boolean;
}

/** A range being read: pages in user-id order, the next one already on its way. */
export interface ReplayRange {
  /** Where the next range starts; null when this one reaches the workspace's last profile. */
  through: string | null;
  next: () => Promise<ReplayPage>;
  /** Ends the read (at its end, or early when the run stops); idempotent. */
  close: () => Promise<void>;
  /** The events of a row, turned into what the replay takes. */
  user: (row: ReplayPageRow) => ReplayPageUser | undefined;
}

const noProperties: Readonly<Record<string, unknown>> = Object.freeze({});
const noHistory: HistoryItem[] = [];

/** The properties conditions read, per event: `CASE event WHEN … THEN jsonb_build_object(…) END`, or none. */
function projection(properties: ReplayReadRequest['properties']): RawBuilder<unknown> | undefined {
  const events = Object.entries(properties).filter(([, keys]) => keys.length > 0);
  if (events.length === 0) return undefined;
  const cases = events.map(
    ([event, keys]) =>
      sql`WHEN ${event}::text THEN jsonb_build_object(${sql.join(
        keys.map((key) => sql`${key}::text, properties -> ${key}::text`),
      )})`,
  );
  return sql`CASE event ${sql.join(cases, sql` `)} END`;
}

/** How many profiles the range starting after `after` holds, and its last user id when more follow. */
async function rangeBounds(
  db: Executor,
  request: ReplayRangeRequest,
): Promise<{ size: number; through: string | null }> {
  const { rows } = await sql<{ size: string; last: string | null }>`
    SELECT count(*) AS size, max(user_id) AS last FROM (
      SELECT user_id FROM user_profiles
      WHERE workspace_id = ${request.workspaceId} AND user_id > ${request.after}
      ORDER BY user_id LIMIT ${request.rangeUsers}) ids`.execute(db);
  const size = Number(rows[0]?.size ?? 0);
  return { size, through: size < request.rangeUsers ? null : (rows[0]?.last ?? null) };
}

/**
 * Opens the read of one range of a workspace's users for a dry run: one statement over the
 * range's profiles joined with their wanted history, a row per user with the events as JSON in
 * time order, read through a cursor a page at a time. The range's history is read in the
 * tables' physical order and sorted once (a bitmap read touches each heap page once, where a
 * lookup per user-ordered index entry touches one per event), by byte order (a range is the
 * same set of users in any order; "C" compares bytes, a locale's collation calls strcoll), without
 * parallel workers (the API's core does the replay) or JIT. Memory: the page being replayed and
 * the next one.
 */
export async function openReplayRange(db: Executor, request: ReplayRangeRequest): Promise<ReplayRange> {
  const bounds = await rangeBounds(db, request);
  const replayed = new Set(request.events);
  const remembered = new Set(request.history?.events ?? []);
  const names = [...new Set([...replayed, ...remembered])];
  const historySince = request.history ? request.history.since : request.from;
  const since = historySince === null ? null : new Date(Math.min(historySince.getTime(), request.from.getTime()));
  const from = request.from.getTime();
  const upper = (column: RawBuilder<unknown>) =>
    bounds.through === null ? sql`` : sql` AND ${column} <= ${bounds.through}`;
  const lower = since === null ? sql`` : sql` AND occurred_at >= ${since.toISOString()}::timestamptz`;
  const props = projection(request.properties);
  const history =
    names.length === 0
      ? sql`SELECT NULL::text AS user_id, NULL::int8 AS rows, NULL::text AS events WHERE false`
      : sql`
        SELECT user_id, count(*) AS rows,
          json_agg(json_build_array(idx, ms${props ? sql`, props` : sql``}))::text AS events
        FROM (
          SELECT user_id COLLATE "C" AS user_id, array_position(${names}::text[], event) AS idx,
            round(date_part('epoch', occurred_at) * 1000) AS ms${props ? sql`, ${props} AS props` : sql``}
          FROM user_events
          WHERE workspace_id = ${request.workspaceId} AND user_id > ${request.after}${upper(sql`user_id`)}
            AND event = ANY(${names}::text[])${lower}
            AND occurred_at < ${request.to.toISOString()}::timestamptz
          -- aggregated in this order: one sort for the range instead of one per user
          ORDER BY user_id, occurred_at) ordered
        GROUP BY user_id`;
  const join = request.everyProfile ? sql`LEFT JOIN` : sql`JOIN`;
  const statement = sql`
    SELECT p.user_id, p.traits, p.context, p.first_seen, p.last_seen, p.n, e.rows, e.events
    FROM (
      SELECT user_id COLLATE "C" AS user_id, traits, context,
        round(date_part('epoch', first_seen_at) * 1000) AS first_seen,
        round(date_part('epoch', last_seen_at) * 1000) AS last_seen,
        row_number() OVER (ORDER BY user_id COLLATE "C") AS n
      FROM user_profiles
      WHERE workspace_id = ${request.workspaceId} AND user_id > ${request.after}${upper(sql`user_id`)}) p
    ${join} (${history}) e ON e.user_id = p.user_id
    ORDER BY p.user_id`;

  let connection: LeasedConnection | undefined;
  if (bounds.size > 0) {
    connection = await leaseConnection(db);
    try {
      await sql`BEGIN READ ONLY`.execute(connection.db);
      // a range read touches most heap pages: in physical order, sorted once, on this backend alone
      await sql`SELECT set_config('enable_indexscan', 'off', true), set_config('enable_hashjoin', 'off', true),
        set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true),
        set_config('cursor_tuple_fraction', '1', true), set_config('work_mem', '64MB', true)`.execute(connection.db);
      const compiled = statement.compile(connection.db);
      await connection.db.executeQuery({
        ...compiled,
        sql: `DECLARE dry_run_range NO SCROLL CURSOR FOR ${compiled.sql}`,
      });
    } catch (error) {
      await connection.release();
      throw error;
    }
  }

  let seen = 0;
  let done = bounds.size === 0;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await connection?.release();
  };
  const fetchPage = async (): Promise<ReplayPage> => {
    if (done || !connection) return { profiles: 0, users: [], rows: 0, last: true };
    const { rows: fetched } =
      await sql<ReplayPageRow>`FETCH ${sql.raw(String(request.users))} FROM dry_run_range`.execute(connection.db);
    const last = fetched.length < request.users;
    if (last) done = true;
    const through = last ? bounds.size : Number(fetched[fetched.length - 1]!.n);
    const profiles = through - seen;
    seen = through;
    let rows = 0;
    const users: ReplayPageRow[] = [];
    for (const row of fetched) {
      if (row.rows === null) {
        if (request.everyProfile) users.push(row);
        continue;
      }
      rows += Number(row.rows);
      users.push(row);
    }
    return { profiles, users, rows, last };
  };
  let ahead: Promise<ReplayPage> | undefined;
  const next = async (): Promise<ReplayPage> => {
    const page = await (ahead ?? fetchPage());
    ahead = undefined;
    if (page.last) await close();
    else {
      ahead = fetchPage();
      // a run that stops early never awaits it
      ahead.catch(() => undefined);
    }
    return page;
  };
  // the first page starts the range's sort at once
  ahead = fetchPage();
  ahead.catch(() => undefined);

  const user = (row: ReplayPageRow): ReplayPageUser | undefined => {
    const events: ReplayEvent[] = [];
    let history = noHistory;
    if (row.events !== null) {
      const items = JSON.parse(row.events) as [number, number, (Record<string, unknown> | null)?][];
      let previous = Number.NEGATIVE_INFINITY;
      for (const [index, at, props] of items) {
        // the aggregate keeps its sorted input's order; a plan that did not would be caught here
        if (at < previous) throw new Error('dry-run history out of time order');
        previous = at;
        const event = names[index - 1]!;
        const properties = props ?? noProperties;
        if (at >= from && replayed.has(event)) events.push({ event, at, properties });
        if (remembered.has(event)) {
          if (history === noHistory) history = [];
          history.push({ event, at: new Date(at), properties });
        }
      }
    }
    if (!request.everyProfile && events.length === 0) return undefined;
    return {
      profile: {
        workspaceId: request.workspaceId,
        userId: row.user_id,
        traits: row.traits,
        context: row.context,
        firstSeenAt: new Date(row.first_seen),
        lastSeenAt: new Date(row.last_seen),
      },
      events,
      history,
    };
  };
  return { through: bounds.through, next, close, user };
}
