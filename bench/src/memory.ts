import { randomUUID } from 'node:crypto';
import { startRunnerProcess } from '../../test/support/index.ts';
import { appliedMessages, peakRssMb, type BenchContext } from './context.ts';
import { benchEvents, seedBenchCanvases } from './workload.ts';

/** Peak RSS of a journey-runner process working through a backlog of events. */
export async function runnerPeakRss(
  ctx: BenchContext,
  events: number,
  limitMs: number,
  nodeOptions?: string,
): Promise<{ peakMb: number; applied: number }> {
  const database = await ctx.newDatabase();
  const workspaceId = randomUUID();
  await seedBenchCanvases(database.db, workspaceId, 100);
  const topic = await ctx.topic('memory');
  ctx.log(`producing ${events} events for the memory run`);
  await ctx.produce(topic, benchEvents({ workspaceId, users: 100_000, events, canvases: 100, seed: 11 }));
  const group = `mem-${randomUUID().slice(0, 8)}`;
  const runner = startRunnerProcess({
    KAFKA_BROKERS: ctx.brokers.join(','),
    EVENTS_TOPIC: topic,
    DEAD_LETTER_TOPIC: `${topic}.dlq`,
    CONSUMER_GROUP: group,
    DATABASE_URL: database.url,
    LOG_LEVEL: 'warn',
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
  });
  const deadline = Date.now() + limitMs;
  let peakMb = 0;
  let applied = 0;
  while (Date.now() < deadline) {
    peakMb = Math.max(peakMb, peakRssMb(runner.child.pid!));
    applied = await appliedMessages(database.db, group);
    if (applied >= events) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  peakMb = Math.max(peakMb, peakRssMb(runner.child.pid!));
  await runner.stop('SIGTERM');
  await database.drop();
  return { peakMb, applied };
}
