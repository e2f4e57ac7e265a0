import { randomUUID } from 'node:crypto';
import { lastAssignment, startRunnerProcess, waitFor, type ServiceProcess } from '../../test/support/index.ts';
import { appliedMessages, peakRssMb, timeProgress, type BenchContext } from './context.ts';
import { benchEvents, seedBenchCanvases } from './workload.ts';

export interface RunnerCountResult {
  runners: number;
  eventsPerSecond: number;
  /** Sum of the runners' peak RSS, MB. */
  peakRssMb: number;
}

const partitions = 6;

/** True once every runner holds a share and together they hold each partition once. */
function settled(runners: readonly ServiceProcess[], topic: string): boolean {
  const shares = runners.map((runner) => lastAssignment(runner, topic));
  const all = shares.flat().sort((a, b) => a - b);
  return shares.every((share) => share.length > 0) && all.join() === [...Array(partitions).keys()].join();
}

/**
 * Events/s through `count` journey-runner processes in one consumer group on a six-partition
 * topic. The group settles before the first event is produced, so no rebalance is measured.
 */
export async function runnersThroughput(
  ctx: BenchContext,
  count: number,
  events: number,
  users: number,
): Promise<RunnerCountResult> {
  const database = await ctx.newDatabase();
  const workspaceId = randomUUID();
  await seedBenchCanvases(database.db, workspaceId, 100);
  const topic = await ctx.topic(`runners${count}`, partitions);
  const messages = benchEvents({ workspaceId, users, events, canvases: 100, seed: 21 + count });
  const group = `runners-${randomUUID().slice(0, 8)}`;
  const runners = Array.from({ length: count }, () =>
    startRunnerProcess({
      KAFKA_BROKERS: ctx.brokers.join(','),
      EVENTS_TOPIC: topic,
      DEAD_LETTER_TOPIC: `${topic}.dlq`,
      CONSUMER_GROUP: group,
      DATABASE_URL: database.url,
      CREATE_TOPICS: 'false',
    }),
  );
  try {
    await waitFor(() => settled(runners, topic), {
      what: `${count} runners sharing ${partitions} partitions`,
      timeoutMs: 120_000,
    });
    const producing = ctx.produce(topic, messages);
    const timing = await timeProgress(() => appliedMessages(database.db, group), events, 600_000);
    await producing;
    // VmHWM is each process's own high-water mark
    const peak = runners.reduce((sum, runner) => sum + peakRssMb(runner.child.pid!), 0);
    if (timing.reached < events) throw new Error(`${count} runners applied ${timing.reached} of ${events}`);
    const eventsPerSecond = (events - timing.firstValue) / ((timing.doneAt - timing.firstAt) / 1000);
    return { runners: count, eventsPerSecond, peakRssMb: peak };
  } finally {
    await Promise.all(runners.map((runner) => runner.stop('SIGTERM')));
    await database.drop();
  }
}
