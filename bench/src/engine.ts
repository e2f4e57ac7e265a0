import { randomUUID } from 'node:crypto';
import { createRunner, runnerConfigSchema } from '@canvas/journey-runner';
import { createLogger, createMetricsRegistry } from '@canvas/runtime';
import type { Db } from '@canvas/db';
import { appliedMessages, timeProgress, type BenchContext } from './context.ts';

export interface EngineRun {
  db: Db;
  url: string;
  topic: string;
  total: number;
  batchMax?: number;
  /** Leave behaviour history out, to measure what recording it costs. */
  withoutHistory?: boolean;
}

/** Events per second from the topic through an in-process runner to committed state. */
export async function runEngine(ctx: BenchContext, run: EngineRun): Promise<number> {
  const group = `bench-${randomUUID().slice(0, 8)}`;
  const config = runnerConfigSchema.parse({
    KAFKA_BROKERS: ctx.brokers.join(','),
    EVENTS_TOPIC: run.topic,
    DEAD_LETTER_TOPIC: `${run.topic}.dlq`,
    CONSUMER_GROUP: group,
    DATABASE_URL: run.url,
    CREATE_TOPICS: 'false',
    LOG_LEVEL: 'warn',
    OPS_PORT: '0',
    ...(run.batchMax ? { BATCH_MAX_MESSAGES: String(run.batchMax) } : {}),
    ...(run.withoutHistory ? { HISTORY_RECORDING: 'false' } : {}),
  });
  const runner = await createRunner({
    config,
    db: run.db,
    logger: createLogger({ name: 'bench-runner', level: 'warn' }),
    registry: createMetricsRegistry('journey-runner'),
  });
  await runner.start();
  const timing = await timeProgress(() => appliedMessages(run.db, group), run.total, 600_000);
  await runner.stop();
  if (timing.reached < run.total)
    throw new Error(`runner applied ${timing.reached} of ${run.total} within the time limit`);
  return (run.total - timing.firstValue) / ((timing.doneAt - timing.firstAt) / 1000);
}
