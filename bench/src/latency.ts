import { randomUUID } from 'node:crypto';
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
} from '../../test/support/index.ts';
import { percentile } from './stats.ts';
import type { BenchContext } from './context.ts';
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
  users: number;
  rate: number;
}

export async function latency(ctx: BenchContext, rate: number, seconds: number): Promise<LatencyResult> {
  const h = await startSyncHarness();
  const account = await h.connectAccount();
  const { audienceId } = await h.canvasWithAudience(account, { name: 'latency' });
  for (let i = 0; i < 100; i += 1) {
    await seedLaunchedCanvas(h.database.db, {
      id: randomUUID(),
      workspaceId: h.workspaceId,
      definition: benchCanvas(i),
      audience: { adAccountId: account.adAccountId, metaAccountId: account.metaAccountId, audienceId },
    });
  }
  const topic = await ctx.topic('latency');
  const runner = startRunnerProcess({
    KAFKA_BROKERS: ctx.brokers.join(','),
    EVENTS_TOPIC: topic,
    DEAD_LETTER_TOPIC: `${topic}.dlq`,
    CONSUMER_GROUP: `lat-${randomUUID().slice(0, 8)}`,
    DATABASE_URL: h.database.url,
    CREATE_TOPICS: 'false',
  });
  const sync = startSyncProcess(h.syncEnv({ SYNC_BATCH_WINDOW: '5s' }));
  await Promise.all([waitForLog(runner, 'journey runner started'), waitForLog(sync, 'audience sync started')]);
  // let the group and the account ownership settle before the clock starts
  await new Promise((resolve) => setTimeout(resolve, 3000));

  const random = prng(17);
  const headers = { 'workspace-id': h.workspaceId };
  const producedAt = new Map<string, number>();
  const total = Math.round(rate * seconds);
  const perTick = Math.max(1, Math.round(rate / 10));
  const started = Date.now();
  let timed = 0;
  for (let sent = 0; sent < total;) {
    const batch: OutboundMessage[] = [];
    const now = Date.now();
    for (let i = 0; i < perTick && sent < total; i += 1, sent += 1) {
      const userId = `lat-${sent}`;
      if (random() < 0.2) {
        // an action: a new user enters one canvas; even canvases hand the user to Meta
        const canvas = Math.floor(random() * 100);
        const email = `${userId}@example.com`;
        if (canvas % 2 === 0) {
          producedAt.set(sha256Hex(email), now);
          timed += 1;
        }
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
    await ctx.produce(topic, batch);
    const due = started + (sent / rate) * 1000;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
  }
  await waitFor(
    async () => {
      const synced = (await stepTotals(h.database.db)).reduce((n, s) => n + s.synced, 0);
      const pending = (await stepTotals(h.database.db)).reduce((n, s) => n + s.pending, 0);
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
  const latencies: number[] = [];
  const runnerPart: number[] = [];
  const syncPart: number[] = [];
  for (const [memberId, member] of audience.members) {
    const sentAt = member.EMAIL ? producedAt.get(member.EMAIL) : undefined;
    const addedAt = audience.addedAt.get(memberId);
    const handed = member.EMAIL ? handedAt.get(member.EMAIL) : undefined;
    if (sentAt === undefined || addedAt === undefined || handed === undefined) continue;
    latencies.push(addedAt - sentAt);
    runnerPart.push(handed - sentAt);
    syncPart.push(addedAt - handed);
  }
  await Promise.all([runner.stop('SIGTERM'), sync.stop('SIGTERM')]);
  await h.close();
  return {
    p50: percentile(latencies, 50) / 1000,
    p99: percentile(latencies, 99) / 1000,
    runnerP99: percentile(runnerPart, 99) / 1000,
    syncP99: percentile(syncPart, 99) / 1000,
    users: latencies.length,
    rate,
  };
}
