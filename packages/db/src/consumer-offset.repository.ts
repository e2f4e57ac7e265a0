import type { Executor, Tx } from './connection.js';

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
