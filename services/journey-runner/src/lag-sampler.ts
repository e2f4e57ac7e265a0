import { storedOffsets, type Db } from '@canvas/db';
import type { Admin } from '@canvas/kafka';
import type { RunnerMetrics } from './runner-metrics.js';

export interface LagSamplerDeps {
  db: Db;
  admin: Admin;
  metrics: RunnerMetrics;
  consumerGroup: string;
  topic: string;
}

/**
 * Sets the lag gauge of every assigned partition from the topic's end and the offset stored
 * with the effects, so idle partitions show 0 from the start and lost ones disappear.
 */
export function createLagSampler(deps: LagSamplerDeps) {
  let shown = new Set<number>();
  return async (assigned: readonly number[]): Promise<void> => {
    const [ends, stored] = await Promise.all([
      deps.admin.topicOffsets(deps.topic),
      storedOffsets(deps.db, deps.consumerGroup, deps.topic),
    ]);
    const mine = new Set(assigned);
    for (const { partition, high, low } of ends) {
      if (!mine.has(partition)) continue;
      const next = stored.get(partition) ?? BigInt(low);
      deps.metrics.lag.set(
        { topic: deps.topic, partition: String(partition) },
        Math.max(0, Number(BigInt(high) - next)),
      );
    }
    for (const partition of shown)
      if (!mine.has(partition)) deps.metrics.lag.remove({ topic: deps.topic, partition: String(partition) });
    shown = mine;
  };
}
