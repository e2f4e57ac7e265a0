import { advanceErasures, type Db } from '@canvas/db';
import { sleep, type Logger } from '@canvas/runtime';
import type { SyncMetrics } from './sync-metrics.js';

/**
 * Moves erasures on every interval: records each removal Meta confirmed (or that ended
 * otherwise) and completes an erasure once all of its removals are final, deleting its
 * hand-offs. Every replica runs it; the statements are safe to run concurrently.
 */
export function createErasureFinisher(deps: {
  db: Db;
  logger: Logger;
  metrics: SyncMetrics;
  now: () => Date;
  intervalMs: number;
}) {
  const controller = new AbortController();
  let loop: Promise<void> | undefined;
  async function run(): Promise<void> {
    while (!controller.signal.aborted) {
      try {
        const completed = await advanceErasures(deps.db, deps.now());
        if (completed > 0) deps.metrics.erasuresCompleted.inc(completed);
      } catch (error) {
        deps.logger.error({ err: error }, 'moving erasures on failed; trying again');
      }
      await sleep(deps.intervalMs, controller.signal);
    }
  }
  return {
    start: () => {
      loop ??= run();
    },
    stop: async () => {
      controller.abort();
      await loop;
    },
  };
}
