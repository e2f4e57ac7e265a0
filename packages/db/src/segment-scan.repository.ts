import { sql, type RawBuilder } from 'kysely';
import { deviceAdvertisingId, type CandidateFilter, type HistoryItem, type SegmentMember } from '@canvas/canvas';
import type { Executor, Tx } from './connection.js';
import { toProfile, type ProfileRow, type StoredProfile } from './journey-state.repository.js';

/** What a scan loads per candidate: the history of these events since this moment (null: all kept). */
export interface HistoryNeeds {
  events: readonly string[];
  since: Date | null;
}

/** The candidate filter as SQL over `user_profiles p`, answered from the daily rollup. */
export function candidateCondition(workspaceId: string, filter: CandidateFilter | null): RawBuilder<unknown> {
  if (filter === null) return sql`true`;
  if ('all' in filter)
    return sql`(${sql.join(
      filter.all.map((f) => candidateCondition(workspaceId, f)),
      sql` AND `,
    )})`;
  if ('any' in filter)
    return sql`(${sql.join(
      filter.any.map((f) => candidateCondition(workspaceId, f)),
      sql` OR `,
    )})`;
  const from = filter.fromDay === null ? sql`` : sql` AND d.day >= ${filter.fromDay}::date`;
  const to = filter.toDay === null ? sql`` : sql` AND d.day <= ${filter.toDay}::date`;
  if ('never' in filter)
    return sql`NOT EXISTS (SELECT 1 FROM user_event_days d WHERE d.workspace_id = ${workspaceId}
      AND d.user_id = p.user_id AND d.event = ${filter.never}${from}${to})`;
  const atLeast = filter.atLeast > 1 ? sql` GROUP BY d.user_id HAVING sum(d.occurrences) >= ${filter.atLeast}` : sql``;
  return sql`p.user_id IN (SELECT d.user_id FROM user_event_days d
    WHERE d.workspace_id = ${workspaceId} AND d.event = ${filter.event}${from}${to}${atLeast})`;
}

/** The needed history of the given users of a workspace, by user id. */
export async function loadHistories(
  db: Executor,
  workspaceId: string,
  userIds: readonly string[],
  needs: HistoryNeeds,
): Promise<Map<string, HistoryItem[]>> {
  const history = new Map<string, HistoryItem[]>();
  if (userIds.length === 0 || needs.events.length === 0) return history;
  const since = needs.since === null ? sql`` : sql` AND occurred_at >= ${needs.since.toISOString()}::timestamptz`;
  const rows = await sql<{ user_id: string; event: string; occurred_at: Date; properties: Record<string, unknown> }>`
    SELECT user_id, event, occurred_at, properties FROM user_events
    WHERE workspace_id = ${workspaceId} AND user_id = ANY(${[...userIds]}::text[])
      AND event = ANY(${[...needs.events]}::text[])${since}`.execute(db);
  for (const row of rows.rows) {
    const items = history.get(row.user_id) ?? [];
    items.push({ event: row.event, at: row.occurred_at, properties: row.properties });
    history.set(row.user_id, items);
  }
  return history;
}

/** Profiles and the needed history of the given users, as the segment evaluator reads them. */
export async function loadSegmentMembers(
  db: Executor,
  workspaceId: string,
  profiles: readonly StoredProfile[],
  needs: HistoryNeeds,
): Promise<SegmentMember[]> {
  const history = await loadHistories(
    db,
    workspaceId,
    profiles.map((p) => p.userId),
    needs,
  );
  return profiles.map((p) => ({
    profile: { userId: p.userId, traits: p.traits, context: p.context, firstSeenAt: p.firstSeenAt },
    history: history.get(p.userId) ?? [],
    advertisingId: deviceAdvertisingId(p.context),
  }));
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
