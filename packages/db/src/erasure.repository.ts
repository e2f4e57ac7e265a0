import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { userKey, type AudienceStatus } from '@canvas/canvas';
import { handOffRemovalsEverywhere } from './audience-removal.repository.js';
import type { Executor, Tx } from './connection.js';
import type { CounterDelta } from './counter.repository.js';

/** How an erased user is known from then on: no raw id is kept. */
export const userHash = (workspaceId: string, userId: string) =>
  createHash('sha256').update(`${workspaceId}:${userId}`).digest('hex');

export type ErasureStatus = 'removing' | 'completed';
export type RemovalStatus = 'pending' | 'confirmed' | 'not_synced' | 'errored';

export interface ErasureRemoval {
  metaAccountId: string;
  audienceId: string;
  status: RemovalStatus;
  confirmedAt: Date | null;
  lastError: Record<string, unknown> | null;
}

export interface Erasure {
  id: string;
  workspaceId: string;
  userHash: string;
  status: ErasureStatus;
  requestedBy: string;
  requestedAt: Date;
  completedAt: Date | null;
  /** Rows deleted per table when the erasure started. */
  deletedRows: Record<string, number>;
  removals: ErasureRemoval[];
}

/** Tables holding a user's data that an erasure deletes at once, keyed by (workspace_id, user_id). */
const userTables = [
  'user_profiles',
  'user_events',
  'user_event_days',
  'journeys',
  'timers',
  'processed_messages',
  'segment_audience_members',
  'segment_run_candidates',
  'audience_resync_members',
] as const;

/**
 * Starts erasing a user, in the caller's transaction: hands the sync a removal from every Meta
 * audience the workspace added them to (from the match values stored for the add), deletes
 * everything else of theirs, and suppresses their events until `suppressUntil`. From here on the
 * user's audience entries carry the hash instead of the id; the sync's finisher deletes them once
 * every removal is final. Answers the erasure already under way, if any, with `created: false`.
 */
export async function startErasure(
  tx: Tx,
  request: {
    id: string;
    workspaceId: string;
    userId: string;
    requestedBy: string;
    now: Date;
    retryWindowMs: number;
    suppressUntil: Date;
  },
): Promise<{ erasure: Erasure; created: boolean; counters: CounterDelta[] }> {
  const { workspaceId, userId, now } = request;
  const hash = userHash(workspaceId, userId);
  const open = await findOpenErasure(tx, workspaceId, hash);
  if (open) return { erasure: open, created: false, counters: [] };
  await tx
    .insertInto('erasures')
    .values({
      id: request.id,
      workspace_id: workspaceId,
      user_hash: hash,
      status: 'removing',
      requested_by: request.requestedBy,
      requested_at: now,
      deleted_rows: '{}',
    })
    .execute();
  await sql`
    INSERT INTO suppressed_users (workspace_id, user_hash, until)
    VALUES (${workspaceId}, ${hash}, ${request.suppressUntil})
    ON CONFLICT (workspace_id, user_hash)
    DO UPDATE SET until = greatest(suppressed_users.until, excluded.until)`.execute(tx);
  // from here the user's hand-offs are known by the hash only
  await sql`UPDATE audience_entries SET user_id = ${hash}
    WHERE workspace_id = ${workspaceId} AND user_id = ${userId}`.execute(tx);
  const counters = await handOffRemovalsEverywhere(tx, {
    workspaceId,
    userIds: [hash],
    origin: 'erasure',
    now,
    retryWindowMs: request.retryWindowMs,
  });
  // the same adds the removals undo; a removal already handed off for one (the user left a followed segment) serves too
  await sql`
    INSERT INTO erasure_removals (workspace_id, erasure_id, meta_account_id, audience_id, canvas_id, step_id, entry_seq,
      status)
    SELECT DISTINCT ON (meta_account_id, audience_id) workspace_id, ${request.id}::uuid, meta_account_id, audience_id,
      canvas_id, step_id, entry_seq, 'pending'
    FROM audience_entries
    WHERE workspace_id = ${workspaceId} AND user_id = ${hash} AND action = 'add' AND status IN ('pending', 'synced')
      AND meta_account_id IS NOT NULL
    ORDER BY meta_account_id, audience_id, id DESC`.execute(tx);
  const deletedRows: Record<string, number> = {};
  for (const table of userTables) {
    const result =
      await sql`DELETE FROM ${sql.table(table)} WHERE workspace_id = ${workspaceId} AND user_id = ${userId}`.execute(
        tx,
      );
    deletedRows[table] = Number(result.numAffectedRows ?? 0);
  }
  await tx
    .updateTable('erasures')
    .set({ deleted_rows: JSON.stringify(deletedRows) })
    .where('id', '=', request.id)
    .execute();
  const erasure = (await findErasure(tx, workspaceId, request.id))!;
  return { erasure, created: true, counters };
}

const removalStatus: Record<Exclude<AudienceStatus, 'pending'>, RemovalStatus> = {
  synced: 'confirmed',
  not_synced: 'not_synced',
  errored: 'errored',
};

/**
 * Moves open erasures on: each removal takes the status of its hand-off once that is final, and
 * an erasure whose removals are all final is completed and its hand-offs deleted. Safe to run
 * from any number of sync replicas at once.
 */
export async function advanceErasures(db: Executor, now: Date, limit = 100): Promise<number> {
  for (const [from, to] of Object.entries(removalStatus)) {
    await sql`
      UPDATE erasure_removals r SET status = ${to}, last_error = e.last_error,
        confirmed_at = CASE WHEN ${to} = 'confirmed' THEN coalesce(e.sent_at, ${now}) END
      FROM erasures x, audience_entries e
      WHERE x.workspace_id = r.workspace_id AND x.id = r.erasure_id AND x.status = 'removing' AND r.status = 'pending'
        AND e.workspace_id = r.workspace_id AND e.meta_account_id = r.meta_account_id AND e.canvas_id = r.canvas_id
        AND e.step_id = r.step_id
        AND e.user_id = x.user_hash AND e.entry_seq = r.entry_seq
        AND e.action = 'remove' AND e.status = ${from}`.execute(db);
  }
  const done = await sql<{ id: string }>`
    SELECT x.id FROM erasures x
    WHERE x.status = 'removing' AND NOT EXISTS (
      SELECT 1 FROM erasure_removals r
      WHERE r.workspace_id = x.workspace_id AND r.erasure_id = x.id AND r.status = 'pending')
    ORDER BY x.requested_at LIMIT ${limit}`.execute(db);
  for (const { id } of done.rows) {
    await sql`
      WITH finished AS (
        UPDATE erasures SET status = 'completed', completed_at = ${now}
        WHERE id = ${id} AND status = 'removing' RETURNING workspace_id, user_hash)
      DELETE FROM audience_entries e USING finished f
      WHERE e.workspace_id = f.workspace_id AND e.user_id = f.user_hash`.execute(db);
  }
  return done.rows.length;
}

async function findOpenErasure(db: Executor, workspaceId: string, hash: string): Promise<Erasure | undefined> {
  const row = await db
    .selectFrom('erasures')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('user_hash', '=', hash)
    .where('status', '=', 'removing')
    .executeTakeFirst();
  return row && findErasure(db, workspaceId, row.id);
}

export async function findErasure(db: Executor, workspaceId: string, id: string): Promise<Erasure | undefined> {
  const row = await db
    .selectFrom('erasures')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const removals = await db
    .selectFrom('erasure_removals')
    .selectAll()
    .where('erasure_id', '=', id)
    .orderBy('meta_account_id')
    .orderBy('audience_id')
    .execute();
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    userHash: row.user_hash,
    status: row.status,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    completedAt: row.completed_at,
    deletedRows: row.deleted_rows,
    removals: removals.map((r) => ({
      metaAccountId: r.meta_account_id,
      audienceId: r.audience_id,
      status: r.status,
      confirmedAt: r.confirmed_at,
      lastError: r.last_error,
    })),
  };
}

/**
 * The users among `users` whose events are suppressed now (erased), as `workspaceId|userId`.
 * The database hashes each distinct user as `userHash` does, so no hash is computed or sent here.
 */
export async function suppressedAmong(
  db: Executor,
  users: readonly { workspaceId: string; userId: string }[],
  now: Date,
): Promise<Set<string>> {
  if (users.length === 0) return new Set();
  const distinct = new Map(users.map((u) => [userKey(u.workspaceId, u.userId), u]));
  const rows = await sql<{ workspace_id: string; user_id: string }>`
    SELECT u.workspace_id, u.user_id FROM unnest(
      ${[...distinct.values()].map((u) => u.workspaceId)}::uuid[],
      ${[...distinct.values()].map((u) => u.userId)}::text[]
    ) AS u(workspace_id, user_id)
    JOIN suppressed_users s ON s.workspace_id = u.workspace_id
      AND s.user_hash = encode(sha256(convert_to(u.workspace_id::text || ':' || u.user_id, 'UTF8')), 'hex')
    WHERE s.until > ${now}`.execute(db);
  return new Set(rows.rows.map((r) => userKey(r.workspace_id, r.user_id)));
}
