import { sql } from 'kysely';
import type { ProfileState } from '@canvas/canvas';
import type { Executor, Tx } from './connection.js';
import { sortUsers, type UserRef } from './user-ref.js';

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

/** Creates missing profiles, then locks every given user's profile in a fixed order. */
export async function lockProfiles(tx: Tx, users: readonly (UserRef & { seenAt: Date })[]): Promise<StoredProfile[]> {
  if (users.length === 0) return [];
  const sorted = sortUsers(users);
  await sql`
    INSERT INTO user_profiles (workspace_id, user_id, first_seen_at, last_seen_at)
    SELECT w, u, s, s FROM unnest(
      ${sorted.map((x) => x.workspaceId)}::uuid[], ${sorted.map((x) => x.userId)}::text[],
      ${sorted.map((x) => x.seenAt.toISOString())}::timestamptz[]) AS k(w, u, s)
    ON CONFLICT DO NOTHING`.execute(tx);
  const rows = await sql<ProfileRow>`
    SELECT p.* FROM user_profiles p
    JOIN unnest(${sorted.map((x) => x.workspaceId)}::uuid[], ${sorted.map((x) => x.userId)}::text[]) AS k(w, u)
      ON p.workspace_id = k.w AND p.user_id = k.u
    ORDER BY p.workspace_id, p.user_id
    FOR UPDATE OF p`.execute(tx);
  return rows.rows.map(toProfile);
}

/** Locks the profiles nobody else holds right now; the timer loop never waits on the event path. */
export async function lockProfilesSkipLocked(tx: Tx, users: readonly UserRef[]): Promise<StoredProfile[]> {
  if (users.length === 0) return [];
  const sorted = sortUsers(users);
  const rows = await sql<ProfileRow>`
    SELECT p.* FROM user_profiles p
    JOIN unnest(${sorted.map((x) => x.workspaceId)}::uuid[], ${sorted.map((x) => x.userId)}::text[]) AS k(w, u)
      ON p.workspace_id = k.w AND p.user_id = k.u
    ORDER BY p.workspace_id, p.user_id
    FOR UPDATE OF p SKIP LOCKED`.execute(tx);
  return rows.rows.map(toProfile);
}

export async function saveProfiles(tx: Executor, profiles: readonly StoredProfile[]): Promise<void> {
  for (let i = 0; i < profiles.length; i += 1000) {
    const chunk = profiles.slice(i, i + 1000);
    await tx
      .insertInto('user_profiles')
      .values(
        chunk.map((p) => ({
          workspace_id: p.workspaceId,
          user_id: p.userId,
          traits: JSON.stringify(p.traits),
          context: JSON.stringify(p.context),
          first_seen_at: p.firstSeenAt,
          last_seen_at: p.lastSeenAt,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'user_id']).doUpdateSet((eb) => ({
          traits: eb.ref('excluded.traits'),
          context: eb.ref('excluded.context'),
          last_seen_at: eb.ref('excluded.last_seen_at'),
        })),
      )
      .execute();
  }
}
