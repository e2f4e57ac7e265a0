import type { Tx } from './connection.js';
import { clearPartitionAttempts, type PartitionRef } from './partition-attempt.repository.js';
import { lockPartitionOffset, storePartitionOffset } from './consumer-offset.repository.js';

export interface OffsetSkip {
  offset: bigint;
  deadLettered: boolean;
  reason: string;
  skippedBy: string;
  now: Date;
}

export type OffsetSkipResult = { ok: true } | { ok: false; storedOffset: bigint };

/**
 * Moves a partition past one message by hand, and records it. Only the message the partition
 * stands on can be skipped, so a skip never jumps over messages nobody has seen.
 */
export async function skipPartitionOffset(tx: Tx, at: PartitionRef, skip: OffsetSkip): Promise<OffsetSkipResult> {
  const stored = await lockPartitionOffset(tx, at.group, at.topic, at.partition);
  if (stored !== skip.offset) return { ok: false, storedOffset: stored };
  await storePartitionOffset(tx, at.group, at.topic, at.partition, skip.offset + 1n, skip.now);
  await tx
    .insertInto('offset_skips')
    .values({
      consumer_group: at.group,
      topic: at.topic,
      partition: at.partition,
      message_offset: skip.offset.toString(),
      dead_lettered: skip.deadLettered,
      reason: skip.reason,
      skipped_by: skip.skippedBy,
      skipped_at: skip.now,
    })
    .execute();
  await clearPartitionAttempts(tx, at);
  return { ok: true };
}
