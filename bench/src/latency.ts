import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sha256Hex } from '@canvas/meta-graph';
import type { OutboundMessage } from '@canvas/kafka';
import {
  prng,
  seedLaunchedCanvas,
  startRunnerProcess,
  startSyncHarness,
  startSyncProcess,
  stepTotals,
  waitFor,
  waitForLog,
  readMetric,
  type ServiceProcess,
  type SyncHarness,
} from '../../test/support/index.ts';
import { percentile } from './stats.ts';
import { appliedMessages, type BenchContext } from './context.ts';
import { benchCanvas } from './workload.ts';

/**
 * Produce → the sandbox receiving the user, with the product's 5 s batch window, for the
 * realistic mix of the throughput runs (100 canvases) sent at a steady rate. Users who reach
 * a Facebook step are timed from the event that let them in. The runner and the sync run as
 * their own processes, as deployed; the sandbox plays Meta in this one.
 */
export interface LatencyResult {
  p50: number;
  p99: number;
  runnerP99: number;
  syncP99: number;
  syncP50: number;
  runnerP50: number;
  /** The bench process's own event-loop delay while producing: the sandbox (Meta) answers on that loop. */
  benchLoopDelayP99Ms: number;
  /** The runner's transactions over the run: mean messages and mean time (a hand-off shows at its commit). */
  runnerTxMeanMessages: number;
  runnerTxMeanMs: number;
  /** Events produced but not yet applied when producing ended: above a second's worth, the runner fell behind. */
  backlogAtEnd: number;
  users: number;
  rate: number;
  loadBefore: number[];
  loadAfter: number[];
}

/** The events the latency setup applies: runner + sync processes, producer and sandbox on this machine. */
export interface CapacityResult {
  eventsPerSecond: number;
  seconds: number;
  produced: number;
  applied: number;
  /** Produced but not yet applied at the end: the runner was the limit, not the producer. */
  backlogAtEnd: number;
  loadBefore: number[];
  loadAfter: number[];
}

interface Pipeline {
  h: SyncHarness;
  audienceId: string;
  topic: string;
  group: string;
  runner: ServiceProcess;
  sync: ServiceProcess;
  stop: () => Promise<void>;
}

const loadAverage = () => os.loadavg().map((n) => Number(n.toFixed(2)));

/** 100 launched canvases on one Meta audience, the runner and the sync as their own processes. */
async function startPipeline(ctx: BenchContext, name: string): Promise<Pipeline> {
  const h = await startSyncHarness();
  const account = await h.connectAccount();
  const { audienceId } = await h.canvasWithAudience(account, { name });
  for (let i = 0; i < 100; i += 1) {
    await seedLaunchedCanvas(h.database.db, {
      id: randomUUID(),
      workspaceId: h.workspaceId,
      definition: benchCanvas(i),
      audience: { adAccountId: account.adAccountId, metaAccountId: account.metaAccountId, audienceId },
    });
  }
  const topic = await ctx.topic(name);
  const group = `${name.slice(0, 3)}-${randomUUID().slice(0, 8)}`;
  const runner = startRunnerProcess({
    KAFKA_BROKERS: ctx.brokers.join(','),
    EVENTS_TOPIC: topic,
    DEAD_LETTER_TOPIC: `${topic}.dlq`,
    CONSUMER_GROUP: group,
    DATABASE_URL: h.database.url,
    CREATE_TOPICS: 'false',
  });
  const sync = startSyncProcess(h.syncEnv({ SYNC_BATCH_WINDOW: '5s' }));
  await Promise.all([waitForLog(runner, 'journey runner started'), waitForLog(sync, 'audience sync started')]);
  // let the group and the account ownership settle before the clock starts
  await new Promise((resolve) => setTimeout(resolve, 3000));
  return {
    h,
    audienceId,
    topic,
    group,
    runner,
    sync,
    stop: async () => {
      await Promise.all([runner.stop('SIGTERM'), sync.stop('SIGTERM')]);
      await h.close();
    },
  };
}

/**
 * The workload mix: 20 % actions (a new user enters one canvas; even canvases hand the user to
 * Meta), the rest page views. `onHanded` hears the hashed email of each user bound for Meta.
 */
function mixedEvents(
  random: () => number,
  workspaceId: string,
  from: number,
  count: number,
  onHanded: (emailHash: string) => void,
): OutboundMessage[] {
  const headers = { 'workspace-id': workspaceId };
  const batch: OutboundMessage[] = [];
  for (let sent = from; sent < from + count; sent += 1) {
    const userId = `lat-${sent}`;
    if (random() < 0.2) {
      const canvas = Math.floor(random() * 100);
      const email = `${userId}@example.com`;
      if (canvas % 2 === 0) onHanded(sha256Hex(email));
      batch.push({
        key: userId,
        headers,
        value: JSON.stringify({
          type: 'track',
          messageId: `${userId}-a`,
          userId,
          event: `action_${canvas}`,
          context: { traits: { email, country: 'US' } },
        }),
      });
    } else {
      batch.push({
        key: userId,
        headers,
        value: JSON.stringify({
          type: 'track',
          messageId: `${userId}-p`,
          userId,
          event: 'page_viewed',
          properties: { path: '/products/42' },
        }),
      });
    }
  }
  return batch;
}

/**
 * The sustained rate of the latency setup itself: the producer keeps a bounded backlog ahead of
 * the runner (topped up as it applies, so producing costs what it costs at that rate) while the
 * sync delivers the hand-offs; applied events/s after a warm-up.
 */
export async function pipelineCapacity(ctx: BenchContext, seconds: number): Promise<CapacityResult> {
  const loadBefore = loadAverage();
  const p = await startPipeline(ctx, 'capacity');
  const random = prng(23);
  const chunk = 5000;
  const lowWater = 15_000;
  const warmUpMs = 5000;
  let produced = 0;
  const applied = () => appliedMessages(p.h.database.db, p.group);
  const topUp = async () => {
    while (produced - (await applied()) < lowWater) {
      await ctx.produce(
        p.topic,
        mixedEvents(random, p.h.workspaceId, produced, chunk, () => undefined),
      );
      produced += chunk;
    }
  };
  const began = Date.now();
  while (Date.now() - began < warmUpMs) {
    await topUp();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const startApplied = await applied();
  const startedAt = Date.now();
  while (Date.now() - startedAt < seconds * 1000) {
    await topUp();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const endApplied = await applied();
  const elapsed = (Date.now() - startedAt) / 1000;
  await p.stop();
  return {
    eventsPerSecond: (endApplied - startApplied) / elapsed,
    seconds: elapsed,
    produced,
    applied: endApplied,
    backlogAtEnd: produced - endApplied,
    loadBefore,
    loadAfter: loadAverage(),
  };
}

export async function latency(ctx: BenchContext, rate: number, seconds: number): Promise<LatencyResult> {
  const loadBefore = loadAverage();
  const p = await startPipeline(ctx, 'latency');
  const { h, audienceId, topic } = p;
  const random = prng(17);
  const producedAt = new Map<string, number>();
  const total = Math.round(rate * seconds);
  const perTick = Math.max(1, Math.round(rate / 10));
  const started = Date.now();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let timed = 0;
  for (let sent = 0; sent < total;) {
    const now = Date.now();
    const count = Math.min(perTick, total - sent);
    const batch = mixedEvents(random, h.workspaceId, sent, count, (hash) => {
      producedAt.set(hash, now);
      timed += 1;
    });
    sent += count;
    await ctx.produce(topic, batch);
    const due = started + (sent / rate) * 1000;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
  }
  loopDelay.disable();
  const backlogAtEnd = total - (await appliedMessages(h.database.db, p.group));
  await waitFor(
    async () => {
      const totals = await stepTotals(h.database.db);
      const synced = totals.reduce((n, s) => n + s.synced, 0);
      const pending = totals.reduce((n, s) => n + s.pending, 0);
      return synced >= timed && pending === 0;
    },
    { what: 'every user delivered', timeoutMs: 300_000, intervalMs: 200 },
  );

  // when the runner handed each user over: the split between the runner's part and the sync's
  const handedAt = new Map(
    (await h.database.db.selectFrom('audience_entries').select(['row_values', 'entered_at']).execute()).map((r) => [
      r.row_values[0],
      r.entered_at.getTime(),
    ]),
  );
  const audience = h.sandbox.state.audiences.get(audienceId)!;
  const users: { sentAt: number; handed: number; addedAt: number }[] = [];
  for (const [memberId, member] of audience.members) {
    const sentAt = member.EMAIL ? producedAt.get(member.EMAIL) : undefined;
    const addedAt = audience.addedAt.get(memberId);
    const handed = member.EMAIL ? handedAt.get(member.EMAIL) : undefined;
    if (sentAt === undefined || addedAt === undefined || handed === undefined) continue;
    users.push({ sentAt, handed, addedAt });
  }
  const opsUrl = await p.runner.opsUrl();
  const transactions = await readMetric(opsUrl, 'canvas_runner_batch_duration_seconds_count');
  const txSeconds = await readMetric(opsUrl, 'canvas_runner_batch_duration_seconds_sum');
  const txMessages = await readMetric(opsUrl, 'canvas_runner_batch_messages_sum');
  // BENCH_KEEP_LOGS=<path prefix>: the runner's and the sync's logs of the run, for a closer look
  if (process.env.BENCH_KEEP_LOGS) {
    writeFileSync(`${process.env.BENCH_KEEP_LOGS}-sync.log`, p.sync.output());
    writeFileSync(`${process.env.BENCH_KEEP_LOGS}-runner.log`, p.runner.output());
  }
  await p.stop();
  const seconds99 = (values: number[]) => percentile(values, 99) / 1000;
  return {
    p50:
      percentile(
        users.map((u) => u.addedAt - u.sentAt),
        50,
      ) / 1000,
    p99: seconds99(users.map((u) => u.addedAt - u.sentAt)),
    runnerP99: seconds99(users.map((u) => u.handed - u.sentAt)),
    syncP99: seconds99(users.map((u) => u.addedAt - u.handed)),
    syncP50:
      percentile(
        users.map((u) => u.addedAt - u.handed),
        50,
      ) / 1000,
    runnerP50:
      percentile(
        users.map((u) => u.handed - u.sentAt),
        50,
      ) / 1000,
    backlogAtEnd,
    runnerTxMeanMessages: Math.round(txMessages / transactions),
    runnerTxMeanMs: Math.round((txSeconds / transactions) * 1000),
    benchLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    users: users.length,
    rate,
    loadBefore,
    loadAfter: loadAverage(),
  };
}
