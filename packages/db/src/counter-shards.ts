/**
 * Step counters are summed from rows keyed by writer shard, so that concurrent transactions
 * never update one row (and never wait on each other for it). Each writer owns a range:
 *
 * | shards                   | writer                                                       |
 * | ------------------------ | ------------------------------------------------------------ |
 * | 0 … 999,999              | the runner's event path: one per Kafka partition             |
 * | 1,000,000 … 1,999,999    | a runner's timer loop: one random shard per process          |
 * | 2,000,000 … 2,999,999    | the audience sync: one per Meta ad account (one owner each)  |
 * | 3,000,000                | the API: users ended Errored when a connection is deleted,   |
 * |                          | erasures, and re-drives (Errored / Not synced → Pending)     |
 * | 4,000,000 … 4,999,999    | a runner's segment-run loop: one random shard per process    |
 */
export const counterShards = {
  partition: (partition: number) => partition,
  timerLoop: (random: number) => 1_000_000 + (Math.abs(random) % 1_000_000),
  adAccount: (hash: number) => 2_000_000 + (Math.abs(hash) % 1_000_000),
  api: 3_000_000,
  segmentRunLoop: (random: number) => 4_000_000 + (Math.abs(random) % 1_000_000),
} as const;
