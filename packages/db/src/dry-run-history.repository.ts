import { sql, type RawBuilder } from 'kysely';
import type { HistoryItem, ReplayEvent } from '@canvas/canvas';
import type { Executor } from './connection.js';
import type { StoredProfile } from './profile.repository.js';

/** What one page of a dry run reads. */
export interface ReplayPageRequest {
  workspaceId: string;
  /** The page starts after this user id ('' for the first page). */
  after: string;
  /** Profiles per page, in user-id order: the page's users and their events are all in memory at once. */
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

/** One user of a page, ready for the replay. */
export interface ReplayPageUser {
  profile: StoredProfile;
  events: ReplayEvent[];
  history: HistoryItem[];
}

export interface ReplayPage {
  /** The page's last user id, where the next page starts; null after the last page. */
  through: string | null;
  /** Profiles the page covered. */
  profiles: number;
  users: ReplayPageUser[];
  /** History rows read: the page's cost. */
  rows: number;
}

const noProperties: Readonly<Record<string, unknown>> = Object.freeze({});
const noHistory: HistoryItem[] = [];

/** The properties conditions read, per event: `CASE event WHEN … THEN jsonb_build_object(…) END`, or nothing. */
function projection(properties: ReplayPageRequest['properties']): RawBuilder<unknown> {
  const events = Object.entries(properties).filter(([, keys]) => keys.length > 0);
  if (events.length === 0) return sql``;
  const cases = events.map(
    ([event, keys]) =>
      sql`WHEN ${event}::text THEN jsonb_build_object(${sql.join(
        keys.map((key) => sql`${key}::text, properties -> ${key}::text`),
      )})`,
  );
  return sql`, CASE event ${sql.join(cases, sql` `)} END`;
}

/**
 * The next page of a workspace's users for a dry run, in user-id order: the ids of the next
 * `users` profiles (an index-only range), then every wanted history row of that id range in one
 * statement, a row per user with their events in time order (one index range scan per daily
 * partition, as decision 21 reads ranges), then the profiles of the users who have anything to
 * replay. Memory: one page.
 */
export async function replayPage(db: Executor, request: ReplayPageRequest): Promise<ReplayPage> {
  const ids = await sql<{ user_id: string }>`
    SELECT user_id FROM user_profiles
    WHERE workspace_id = ${request.workspaceId} AND user_id > ${request.after}
    ORDER BY user_id LIMIT ${request.users}`.execute(db);
  const last = ids.rows[ids.rows.length - 1]?.user_id;
  if (last === undefined) return { through: null, profiles: 0, users: [], rows: 0 };
  const through = ids.rows.length < request.users ? null : last;

  const replayed = new Set(request.events);
  const remembered = new Set(request.history?.events ?? []);
  const names = [...new Set([...replayed, ...remembered])];
  const historySince = request.history ? request.history.since : request.from;
  const since = historySince === null ? null : new Date(Math.min(historySince.getTime(), request.from.getTime()));
  const from = request.from.getTime();
  const byUser = new Map<string, { events: ReplayEvent[]; history: HistoryItem[] }>();
  let rows = 0;
  if (names.length > 0) {
    const lower = since === null ? sql`` : sql` AND occurred_at >= ${since.toISOString()}::timestamptz`;
    // one row a user, their events as JSON [name's index, ms, properties read?] in time order: a
    // tenth of the rows, and JSON.parse instead of a row parse per event
    const result = await sql<{ user_id: string; events: [number, number, (Record<string, unknown> | null)?][] }>`
      SELECT user_id, json_agg(json_build_array(
          array_position(${names}::text[], event), round(date_part('epoch', occurred_at) * 1000)
          ${projection(request.properties)}
        ) ORDER BY occurred_at) AS events
      FROM user_events
      WHERE workspace_id = ${request.workspaceId} AND user_id > ${request.after} AND user_id <= ${last}
        AND event = ANY(${names}::text[])${lower}
        AND occurred_at < ${request.to.toISOString()}::timestamptz
      GROUP BY user_id ORDER BY user_id`.execute(db);
    for (const row of result.rows) {
      const events: ReplayEvent[] = [];
      let history = noHistory;
      for (const [index, at, props] of row.events) {
        const event = names[index - 1]!;
        const properties = props ?? noProperties;
        if (at >= from && replayed.has(event)) events.push({ event, at, properties });
        if (remembered.has(event)) {
          if (history === noHistory) history = [];
          history.push({ event, at: new Date(at), properties });
        }
      }
      rows += row.events.length;
      byUser.set(row.user_id, { events, history });
    }
  }

  const wanted = request.everyProfile
    ? null
    : [...byUser.entries()].filter(([, u]) => u.events.length > 0).map(([id]) => id);
  if (wanted !== null && wanted.length === 0) return { through, profiles: ids.rows.length, users: [], rows };
  // most of the range has something to replay: one range scan beats a probe a user
  const dense = wanted === null || wanted.length * 4 >= ids.rows.length;
  const whose = dense ? sql`user_id > ${request.after} AND user_id <= ${last}` : sql`user_id = ANY(${wanted}::text[])`;
  // times as numbers: a million profiles' dates parsed from text cost seconds
  const profiles = await sql<{
    user_id: string;
    traits: Record<string, unknown>;
    context: Record<string, unknown>;
    first_seen: number;
    last_seen: number;
  }>`
    SELECT user_id, traits, context, round(date_part('epoch', first_seen_at) * 1000) AS first_seen,
      round(date_part('epoch', last_seen_at) * 1000) AS last_seen
    FROM user_profiles WHERE workspace_id = ${request.workspaceId} AND ${whose}
    ORDER BY user_id`.execute(db);
  const users: ReplayPageUser[] = [];
  for (const row of profiles.rows) {
    const behaviour = byUser.get(row.user_id);
    if (wanted !== null && !behaviour?.events.length) continue;
    users.push({
      profile: {
        workspaceId: request.workspaceId,
        userId: row.user_id,
        traits: row.traits,
        context: row.context,
        firstSeenAt: new Date(row.first_seen),
        lastSeenAt: new Date(row.last_seen),
      },
      events: behaviour?.events ?? [],
      history: behaviour?.history ?? noHistory,
    });
  }
  return { through, profiles: ids.rows.length, users, rows };
}
