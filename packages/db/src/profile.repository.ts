import { sql } from 'kysely';
import { userKey, type ProfileState } from '@canvas/canvas';
import type { Executor, Tx } from './connection.js';
import { sortUsers, type UserRef } from './user-ref.js';
import { orderedKeys } from './user-key-lookup.js';

/** A profile as stored is the engine's profile state: one definition, read and written here. */
export type StoredProfile = ProfileState;

/** A `user_profiles` row, as the repositories read it. */
export type ProfileRow = {
  workspace_id: string;
  user_id: string;
  traits: Record<string, unknown>;
  context: Record<string, unknown>;
  first_seen_at: Date;
  last_seen_at: Date;
};

export const toProfile = (r: ProfileRow): StoredProfile => ({
  workspaceId: r.workspace_id,
  userId: r.user_id,
  traits: r.traits,
  context: r.context,
  firstSeenAt: r.first_seen_at,
  lastSeenAt: r.last_seen_at,
});

/** Locks the profiles of these users (in key order) that exist; returns them. */
async function lockExisting(tx: Tx, sorted: readonly UserRef[]): Promise<StoredProfile[]> {
  const rows = await sql<ProfileRow>`
    SELECT p.* FROM ${orderedKeys(sorted)}
    CROSS JOIN LATERAL (
      SELECT * FROM user_profiles WHERE workspace_id = k.w AND user_id = k.u FOR UPDATE OFFSET 0
    ) p`.execute(tx);
  return rows.rows.map(toProfile);
}

/**
 * Locks every given user's profile in a fixed order, creating the missing ones. Existing rows
 * are locked first and only the missing are inserted: a row this transaction inserts is its own
 * until commit, so it needs no lock, and a user seen before costs no insert attempt.
 */
export async function lockProfiles(tx: Tx, users: readonly (UserRef & { seenAt: Date })[]): Promise<StoredProfile[]> {
  if (users.length === 0) return [];
  const sorted = sortUsers(users);
  const locked = await lockExisting(tx, sorted);
  if (locked.length === sorted.length) return locked;
  const found = new Set(locked.map((p) => userKey(p.workspaceId, p.userId)));
  const missing = sorted.filter((x) => !found.has(userKey(x.workspaceId, x.userId)));
  const created = await sql<ProfileRow>`
    INSERT INTO user_profiles (workspace_id, user_id, first_seen_at, last_seen_at)
    SELECT w, u, s, s FROM unnest(
      ${missing.map((x) => x.workspaceId)}::uuid[], ${missing.map((x) => x.userId)}::text[],
      ${missing.map((x) => x.seenAt.toISOString())}::timestamptz[]) AS k(w, u, s)
    ON CONFLICT DO NOTHING
    RETURNING *`.execute(tx);
  const profiles = [...locked, ...created.rows.map(toProfile)];
  // created meanwhile by a transaction that has committed since: locked like the rest
  if (created.rows.length < missing.length) {
    const made = new Set(created.rows.map((r) => userKey(r.workspace_id, r.user_id)));
    profiles.push(
      ...(await lockExisting(
        tx,
        missing.filter((x) => !made.has(userKey(x.workspaceId, x.userId))),
      )),
    );
  }
  return sortUsers(profiles);
}

/**
 * Locks the profiles nobody else holds right now; the timer loop never waits on the event path.
 * One statement per workspace (the loop claims from a few), so each lock stays on one shard.
 */
export async function lockProfilesSkipLocked(tx: Tx, users: readonly UserRef[]): Promise<StoredProfile[]> {
  const byWorkspace = new Map<string, string[]>();
  for (const u of sortUsers(users))
    (byWorkspace.get(u.workspaceId) ?? byWorkspace.set(u.workspaceId, []).get(u.workspaceId)!).push(u.userId);
  const locked: StoredProfile[] = [];
  for (const [workspaceId, userIds] of byWorkspace) {
    const rows = await sql<ProfileRow>`
      SELECT p.* FROM user_profiles p
      WHERE p.workspace_id = ${workspaceId} AND p.user_id = ANY(${userIds}::text[])
      ORDER BY p.user_id
      FOR UPDATE OF p SKIP LOCKED`.execute(tx);
    locked.push(...rows.rows.map(toProfile));
  }
  return locked;
}

/** Writes profiles the caller has locked (so they exist): one UPDATE joined to the rows. */
export async function saveProfiles(tx: Executor, profiles: readonly StoredProfile[]): Promise<void> {
  if (profiles.length === 0) return;
  const columns = [
    profiles.map((p) => p.workspaceId),
    profiles.map((p) => p.userId),
    profiles.map((p) => JSON.stringify(p.traits)),
    profiles.map((p) => JSON.stringify(p.context)),
    profiles.map((p) => p.lastSeenAt.toISOString()),
  ] as const;
  const [w, u, traits, context, lastSeen] = columns;
  const updated = await sql`
    UPDATE user_profiles p SET traits = k.t, context = k.c, last_seen_at = k.l
    FROM unnest(${w}::uuid[], ${u}::text[], ${traits}::jsonb[], ${context}::jsonb[], ${lastSeen}::timestamptz[])
      AS k(w, u, t, c, l)
    WHERE p.workspace_id = k.w AND p.user_id = k.u`.execute(tx);
  if (Number(updated.numAffectedRows ?? 0) === profiles.length) return;
  // a profile that was not there (no caller does this today): created as the upsert always did
  await sql`
    INSERT INTO user_profiles (workspace_id, user_id, traits, context, first_seen_at, last_seen_at)
    SELECT k.w, k.u, k.t, k.c, k.f, k.l FROM unnest(
      ${w}::uuid[], ${u}::text[], ${traits}::jsonb[], ${context}::jsonb[],
      ${profiles.map((p) => p.firstSeenAt.toISOString())}::timestamptz[], ${lastSeen}::timestamptz[])
      AS k(w, u, t, c, f, l)
    ON CONFLICT (workspace_id, user_id) DO NOTHING`.execute(tx);
}
