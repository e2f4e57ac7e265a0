import { sql } from 'kysely';
import type { Executor } from './connection.js';

/** Where a consumer group reads one partition. */
export interface PartitionRef {
  group: string;
  topic: string;
  partition: number;
}

/** A partition a runner started on without getting past: the message and how many tries. */
export interface PartitionAttempt {
  partition: number;
  offset: bigint;
  attempts: number;
  firstAt: Date;
  lastAt: Date;
}

/**
 * Counts one more start on `offset`, committed on its own so a crash cannot undo it; a new
 * offset starts the count again. Returns the count including this start.
 */
export async function countPartitionAttempt(
  db: Executor,
  at: PartitionRef,
  offset: bigint,
  now: Date,
): Promise<number> {
  const row = await sql<{ attempts: number }>`
    INSERT INTO partition_attempts AS a (consumer_group, topic, partition, message_offset, attempts, first_at, last_at)
    VALUES (${at.group}, ${at.topic}, ${at.partition}, ${offset.toString()}, 1, ${now}, ${now})
    ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET
      attempts = CASE WHEN a.message_offset = EXCLUDED.message_offset THEN a.attempts + 1 ELSE 1 END,
      first_at = CASE WHEN a.message_offset = EXCLUDED.message_offset THEN a.first_at ELSE EXCLUDED.first_at END,
      message_offset = EXCLUDED.message_offset,
      last_at = EXCLUDED.last_at
    RETURNING attempts`.execute(db);
  return row.rows[0]!.attempts;
}

/** The partition got past its counted message. */
export async function clearPartitionAttempts(db: Executor, at: PartitionRef): Promise<void> {
  await db
    .deleteFrom('partition_attempts')
    .where('consumer_group', '=', at.group)
    .where('topic', '=', at.topic)
    .where('partition', '=', at.partition)
    .execute();
}

/** Every partition of a group's topic that a runner has started on without getting past. */
export async function listPartitionAttempts(db: Executor, group: string, topic: string): Promise<PartitionAttempt[]> {
  const rows = await db
    .selectFrom('partition_attempts')
    .selectAll()
    .where('consumer_group', '=', group)
    .where('topic', '=', topic)
    .orderBy('partition')
    .execute();
  return rows.map((r) => ({
    partition: r.partition,
    offset: BigInt(r.message_offset),
    attempts: r.attempts,
    firstAt: r.first_at,
    lastAt: r.last_at,
  }));
}
