import { compositeKey } from '@canvas/canvas';
import { sql } from 'kysely';
import type { Executor, Tx } from './connection.js';

/** One applied track event as the history keeps it. */
export interface HistoryEvent {
  workspaceId: string;
  userId: string;
  event: string;
  occurredAt: Date;
  messageId: string;
  properties: Record<string, unknown>;
}

const dayMs = 86_400_000;
const dayOf = (at: Date) => new Date(Math.floor(at.getTime() / dayMs) * dayMs);
const suffix = (day: Date) => day.toISOString().slice(0, 10).replace(/-/g, '');
const isoDay = (day: Date) => day.toISOString().slice(0, 10);
// one maintainer at a time per database: partition DDL from several runners would queue on locks
const maintenanceLock = 7_316_551_002;
// rollup rows are updated all day: room in each page keeps those updates heap-only
const rollupFillFactor = 80;

/** The UTC days, from `from` to `to` inclusive, the history keeps partitions for. */
export function historyDays(from: Date, to: Date): Date[] {
  const days: Date[] = [];
  for (let day = dayOf(from).getTime(); day <= dayOf(to).getTime(); day += dayMs) days.push(new Date(day));
  return days;
}

/**
 * Creates the daily partitions of both history tables for [now − retention, now + ahead days]
 * and drops those wholly older than the retention. Idempotent; safe from several runners.
 */
export async function maintainHistoryPartitions(
  db: Executor,
  now: Date,
  retentionDays: number,
  aheadDays: number,
): Promise<{ created: number; dropped: number }> {
  return db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${maintenanceLock})`.execute(tx);
    const existing = await sql<{ name: string }>`
      SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent IN ('user_events'::regclass, 'user_event_days'::regclass)`.execute(tx);
    const names = new Set(existing.rows.map((r) => r.name));
    const wanted = historyDays(
      new Date(now.getTime() - retentionDays * dayMs),
      new Date(now.getTime() + aheadDays * dayMs),
    );
    let created = 0;
    for (const day of wanted) {
      const next = new Date(day.getTime() + dayMs);
      if (!names.has(`user_events_${suffix(day)}`)) {
        await sql
          .raw(
            `CREATE TABLE user_events_${suffix(day)} PARTITION OF user_events ` +
              `FOR VALUES FROM ('${day.toISOString()}') TO ('${next.toISOString()}')`,
          )
          .execute(tx);
        created += 1;
      }
      if (!names.has(`user_event_days_${suffix(day)}`)) {
        await sql
          .raw(
            `CREATE TABLE user_event_days_${suffix(day)} PARTITION OF user_event_days ` +
              `FOR VALUES FROM ('${isoDay(day)}') TO ('${isoDay(next)}') WITH (fillfactor = ${rollupFillFactor})`,
          )
          .execute(tx);
        created += 1;
      }
    }
    const oldest = suffix(wanted[0]!);
    let dropped = 0;
    for (const name of names) {
      const day = /_(\d{8})$/.exec(name)?.[1];
      if (day !== undefined && day < oldest) {
        await sql.raw(`DROP TABLE ${name}`).execute(tx);
        dropped += 1;
      }
    }
    return { created, dropped };
  });
}

/**
 * Records applied track events and adds them to the daily rollup, in the batch's transaction, so
 * a replay (skipped by the stored offset) adds nothing. The caller passes only events inside
 * the maintained partitions.
 */
export async function recordHistory(tx: Tx, events: readonly HistoryEvent[]): Promise<void> {
  if (events.length === 0) return;
  await sql`
    INSERT INTO user_events (workspace_id, user_id, event, occurred_at, message_id, properties)
    SELECT * FROM unnest(
      ${events.map((e) => e.workspaceId)}::uuid[], ${events.map((e) => e.userId)}::text[],
      ${events.map((e) => e.event)}::text[],
      ${events.map((e) => e.occurredAt.toISOString())}::timestamptz[], ${events.map((e) => e.messageId)}::text[],
      ${events.map((e) => JSON.stringify(e.properties))}::jsonb[])`.execute(tx);
  // one row per (user, event, day); rows in key order so concurrent batches never deadlock
  const days = new Map<string, { e: HistoryEvent; day: string; count: number; first: Date; last: Date }>();
  for (const e of events) {
    const day = isoDay(e.occurredAt);
    const key = compositeKey(e.workspaceId, e.userId, e.event, day);
    const seen = days.get(key);
    if (!seen) days.set(key, { e, day, count: 1, first: e.occurredAt, last: e.occurredAt });
    else {
      seen.count += 1;
      if (e.occurredAt < seen.first) seen.first = e.occurredAt;
      if (e.occurredAt > seen.last) seen.last = e.occurredAt;
    }
  }
  const rows = [...days.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  await sql`
    INSERT INTO user_event_days (workspace_id, user_id, event, day, occurrences, first_at, last_at)
    SELECT * FROM unnest(
      ${rows.map((r) => r.e.workspaceId)}::uuid[], ${rows.map((r) => r.e.userId)}::text[],
      ${rows.map((r) => r.e.event)}::text[],
      ${rows.map((r) => r.day)}::date[], ${rows.map((r) => r.count)}::int[],
      ${rows.map((r) => r.first.toISOString())}::timestamptz[], ${rows.map((r) => r.last.toISOString())}::timestamptz[])
    ON CONFLICT (workspace_id, user_id, event, day) DO UPDATE SET
      occurrences = user_event_days.occurrences + excluded.occurrences,
      first_at = least(user_event_days.first_at, excluded.first_at),
      last_at = greatest(user_event_days.last_at, excluded.last_at)`.execute(tx);
}
