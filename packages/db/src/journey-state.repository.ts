import { sql, type Selectable } from 'kysely';
import { messageKey, type JourneyStatus, type ProfileState } from '@canvas/canvas';
import type { Executor, Tx } from './connection.js';
import type { TimersTable } from './schema.js';

/** A user's profile row, as the runner uses it. */
/** A profile as stored is the engine's profile state: one definition, read and written here. */
export type StoredProfile = ProfileState;

export interface StoredJourney {
  workspaceId: string;
  userId: string;
  canvasId: string;
  entrySeq: number;
  version: number;
  status: JourneyStatus;
  stepId: string | null;
  enteredAt: Date;
  convertedAt: Date | null;
}

export interface UserRef {
  workspaceId: string;
  userId: string;
}

const sortUsers = <T extends UserRef>(users: readonly T[]) =>
  [...users].sort((a, b) =>
    a.workspaceId === b.workspaceId
      ? a.userId < b.userId
        ? -1
        : a.userId > b.userId
          ? 1
          : 0
      : a.workspaceId < b.workspaceId
        ? -1
        : 1,
  );

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

/**
 * Locks the stored offset of a partition for this transaction and returns it. A second
 * consumer of the same partition (after a rebalance) waits here, then sees the new offset.
 */
export async function lockPartitionOffset(tx: Tx, group: string, topic: string, partition: number): Promise<bigint> {
  await tx
    .insertInto('consumer_offsets')
    .values({ consumer_group: group, topic, partition, next_offset: 0 })
    .onConflict((oc) => oc.columns(['consumer_group', 'topic', 'partition']).doNothing())
    .execute();
  const row = await tx
    .selectFrom('consumer_offsets')
    .select('next_offset')
    .where('consumer_group', '=', group)
    .where('topic', '=', topic)
    .where('partition', '=', partition)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return BigInt(row.next_offset);
}

export async function storePartitionOffset(
  tx: Executor,
  group: string,
  topic: string,
  partition: number,
  next: bigint,
  now: Date,
): Promise<void> {
  await tx
    .updateTable('consumer_offsets')
    .set({ next_offset: next.toString(), updated_at: now })
    .where('consumer_group', '=', group)
    .where('topic', '=', topic)
    .where('partition', '=', partition)
    .execute();
}

export async function storedOffsets(db: Executor, group: string, topic: string): Promise<Map<number, bigint>> {
  const rows = await db
    .selectFrom('consumer_offsets')
    .select(['partition', 'next_offset'])
    .where('consumer_group', '=', group)
    .where('topic', '=', topic)
    .execute();
  return new Map(rows.map((r) => [r.partition, BigInt(r.next_offset)]));
}

/** Records message ids; returns the `messageKey`s seen for the first time. */
export async function markProcessed(
  tx: Executor,
  messages: readonly (UserRef & { messageId: string })[],
): Promise<Set<string>> {
  if (messages.length === 0) return new Set();
  const rows = await sql<{ workspace_id: string; user_id: string; message_id: string }>`
    INSERT INTO processed_messages (workspace_id, user_id, message_id)
    SELECT * FROM unnest(${messages.map((m) => m.workspaceId)}::uuid[], ${messages.map((m) => m.userId)}::text[], ${messages.map((m) => m.messageId)}::text[])
    ON CONFLICT DO NOTHING
    RETURNING workspace_id, user_id, message_id`.execute(tx);
  return new Set(rows.rows.map((r) => messageKey(r.workspace_id, r.user_id, r.message_id)));
}

/** Creates missing profiles, then locks every given user's profile in a fixed order. */
export async function lockProfiles(tx: Tx, users: readonly (UserRef & { seenAt: Date })[]): Promise<StoredProfile[]> {
  if (users.length === 0) return [];
  const sorted = sortUsers(users);
  await sql`
    INSERT INTO user_profiles (workspace_id, user_id, first_seen_at, last_seen_at)
    SELECT w, u, s, s FROM unnest(${sorted.map((x) => x.workspaceId)}::uuid[], ${sorted.map((x) => x.userId)}::text[], ${sorted.map((x) => x.seenAt.toISOString())}::timestamptz[]) AS k(w, u, s)
    ON CONFLICT DO NOTHING`.execute(tx);
  const rows = await sql<ProfileRow>`
    SELECT p.* FROM user_profiles p
    JOIN unnest(${sorted.map((x) => x.workspaceId)}::uuid[], ${sorted.map((x) => x.userId)}::text[]) AS k(w, u) ON p.workspace_id = k.w AND p.user_id = k.u
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
    JOIN unnest(${sorted.map((x) => x.workspaceId)}::uuid[], ${sorted.map((x) => x.userId)}::text[]) AS k(w, u) ON p.workspace_id = k.w AND p.user_id = k.u
    ORDER BY p.workspace_id, p.user_id
    FOR UPDATE OF p SKIP LOCKED`.execute(tx);
  return rows.rows.map(toProfile);
}

export async function loadJourneys(tx: Executor, users: readonly UserRef[]): Promise<StoredJourney[]> {
  if (users.length === 0) return [];
  const rows = await sql<{
    workspace_id: string;
    user_id: string;
    canvas_id: string;
    entry_seq: number;
    version: number;
    status: StoredJourney['status'];
    step_id: string | null;
    entered_at: Date;
    converted_at: Date | null;
  }>`
    SELECT j.* FROM journeys j
    JOIN unnest(${users.map((x) => x.workspaceId)}::uuid[], ${users.map((x) => x.userId)}::text[]) AS k(w, u) ON j.workspace_id = k.w AND j.user_id = k.u`.execute(
    tx,
  );
  return rows.rows.map((r) => ({
    workspaceId: r.workspace_id,
    userId: r.user_id,
    canvasId: r.canvas_id,
    entrySeq: r.entry_seq,
    version: r.version,
    status: r.status,
    stepId: r.step_id,
    enteredAt: r.entered_at,
    convertedAt: r.converted_at,
  }));
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

export async function saveJourneys(tx: Executor, journeys: readonly StoredJourney[], now: Date): Promise<void> {
  for (let i = 0; i < journeys.length; i += 1000) {
    const chunk = journeys.slice(i, i + 1000);
    await tx
      .insertInto('journeys')
      .values(
        chunk.map((j) => ({
          workspace_id: j.workspaceId,
          user_id: j.userId,
          canvas_id: j.canvasId,
          entry_seq: j.entrySeq,
          version: j.version,
          status: j.status,
          step_id: j.stepId,
          entered_at: j.enteredAt,
          updated_at: now,
          converted_at: j.convertedAt,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'user_id', 'canvas_id']).doUpdateSet((eb) => ({
          entry_seq: eb.ref('excluded.entry_seq'),
          version: eb.ref('excluded.version'),
          status: eb.ref('excluded.status'),
          step_id: eb.ref('excluded.step_id'),
          entered_at: eb.ref('excluded.entered_at'),
          updated_at: eb.ref('excluded.updated_at'),
          converted_at: eb.ref('excluded.converted_at'),
        })),
      )
      .execute();
  }
}

export interface TimerChange extends UserRef {
  canvasId: string;
  /** The timer to set, or null to delete the journey's timer. */
  timer: { stepId: string; entrySeq: number; dueAt: Date } | null;
}

export async function applyTimerChanges(tx: Executor, changes: readonly TimerChange[]): Promise<void> {
  const deletes = changes.filter((c) => c.timer === null);
  const sets = changes.filter((c): c is TimerChange & { timer: NonNullable<TimerChange['timer']> } => c.timer !== null);
  if (deletes.length > 0) {
    await sql`
      DELETE FROM timers t USING unnest(${deletes.map((d) => d.workspaceId)}::uuid[], ${deletes.map((d) => d.userId)}::text[], ${deletes.map((d) => d.canvasId)}::uuid[]) AS k(w, u, c)
      WHERE t.workspace_id = k.w AND t.user_id = k.u AND t.canvas_id = k.c`.execute(tx);
  }
  for (let i = 0; i < sets.length; i += 1000) {
    await tx
      .insertInto('timers')
      .values(
        sets.slice(i, i + 1000).map((s) => ({
          workspace_id: s.workspaceId,
          user_id: s.userId,
          canvas_id: s.canvasId,
          entry_seq: s.timer.entrySeq,
          step_id: s.timer.stepId,
          due_at: s.timer.dueAt,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'user_id', 'canvas_id']).doUpdateSet((eb) => ({
          entry_seq: eb.ref('excluded.entry_seq'),
          step_id: eb.ref('excluded.step_id'),
          due_at: eb.ref('excluded.due_at'),
        })),
      )
      .execute();
  }
}

/** Locks the entry counts of capped canvases (in id order) and returns them. */
export async function lockEntryCounts(tx: Tx, canvasIds: readonly string[]): Promise<Map<string, number>> {
  if (canvasIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('canvas_entry_counts')
    .select(['canvas_id', 'entrants'])
    .where('canvas_id', 'in', [...canvasIds].sort())
    .orderBy('canvas_id')
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.canvas_id, Number(r.entrants)]));
}

export async function addEntrants(tx: Executor, entrants: ReadonlyMap<string, number>): Promise<void> {
  for (const [canvasId, count] of [...entrants].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await tx
      .updateTable('canvas_entry_counts')
      .set({ entrants: sql<string>`entrants + ${count}` })
      .where('canvas_id', '=', canvasId)
      .execute();
  }
}

export interface ClaimedTimer extends UserRef {
  canvasId: string;
  entrySeq: number;
  stepId: string;
  dueAt: Date;
  canvasStatus: 'draft' | 'running' | 'paused' | 'archived';
}

/** Due timers of running (or archived, to drop them) canvases, locked; others' claims are skipped. */
export async function claimDueTimers(tx: Tx, now: Date, limit: number): Promise<ClaimedTimer[]> {
  const rows = await sql<Selectable<TimersTable> & { status: ClaimedTimer['canvasStatus'] }>`
    SELECT t.workspace_id, t.user_id, t.canvas_id, t.entry_seq, t.step_id, t.due_at, c.status
    FROM timers t JOIN canvases c ON c.id = t.canvas_id
    WHERE t.due_at <= ${now} AND c.status IN ('running', 'archived')
    ORDER BY t.due_at
    LIMIT ${limit}
    FOR UPDATE OF t SKIP LOCKED`.execute(tx);
  return rows.rows.map((r) => ({
    workspaceId: r.workspace_id,
    userId: r.user_id,
    canvasId: r.canvas_id,
    entrySeq: r.entry_seq,
    stepId: r.step_id,
    dueAt: r.due_at,
    canvasStatus: r.status,
  }));
}

/** Due timers waiting to fire and the lateness of the oldest, for the SRE dashboard. */
export async function dueTimerStats(db: Executor, now: Date): Promise<{ due: number; oldestDueAt: Date | null }> {
  const row = await sql<{ due: string; oldest: Date | null }>`
    SELECT count(*) AS due, min(t.due_at) AS oldest FROM timers t JOIN canvases c ON c.id = t.canvas_id
    WHERE t.due_at <= ${now} AND c.status = 'running'`.execute(db);
  return { due: Number(row.rows[0]?.due ?? 0), oldestDueAt: row.rows[0]?.oldest ?? null };
}

/** Forgets message ids older than the retention, a slice at a time. */
export async function pruneProcessedMessages(db: Executor, olderThan: Date, limit: number): Promise<number> {
  const result = await sql`
    DELETE FROM processed_messages WHERE ctid IN (SELECT ctid FROM processed_messages WHERE processed_at < ${olderThan} LIMIT ${limit})`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0);
}

/** Locks the users' journeys only through their profiles; this reads one journey for tests and tools. */
export async function findJourney(
  db: Executor,
  workspaceId: string,
  userId: string,
  canvasId: string,
): Promise<StoredJourney | undefined> {
  const [journey] = (await loadJourneys(db, [{ workspaceId, userId }])).filter((j) => j.canvasId === canvasId);
  return journey;
}
