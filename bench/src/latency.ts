import { randomUUID } from 'node:crypto';
import { createRunner, runnerConfigSchema } from '@canvas/journey-runner';
import { sha256Hex } from '@canvas/meta-graph';
import { createLogger, createMetricsRegistry } from '@canvas/runtime';
import { startSyncHarness, stepTotals, waitFor } from '../../test/support/index.ts';
import { percentile } from './stats.ts';
import type { BenchContext } from './context.ts';

/** Produce → the sandbox receiving the user, at a steady rate, with the product's 5 s batch window. */
export async function latency(ctx: BenchContext, rate: number, seconds: number): Promise<{ p50: number; p99: number; users: number; rate: number }> {
  const h = await startSyncHarness();
  const account = await h.connectAccount();
  const canvas = await h.canvasWithAudience(account);
  const topic = await ctx.topic('latency');
  const config = runnerConfigSchema.parse({
    KAFKA_BROKERS: ctx.brokers.join(','), EVENTS_TOPIC: topic, DEAD_LETTER_TOPIC: `${topic}.dlq`, CONSUMER_GROUP: `lat-${randomUUID().slice(0, 8)}`,
    DATABASE_URL: h.database.url, CREATE_TOPICS: 'false', LOG_LEVEL: 'warn',
  });
  const runner = await createRunner({ config, db: h.database.db, logger: createLogger({ name: 'bench', level: 'warn' }), registry: createMetricsRegistry('journey-runner') });
  await runner.start();
  h.startSync({ SYNC_BATCH_WINDOW: '5s' });
  // let the group settle before the clock starts
  await new Promise((resolve) => setTimeout(resolve, 3000));

  const producedAt = new Map<string, number>();
  const total = Math.round(rate * seconds);
  const tick = 100;
  const perTick = Math.max(1, Math.round((rate * tick) / 1000));
  const started = Date.now();
  for (let sent = 0; sent < total;) {
    const batch = [];
    for (let i = 0; i < perTick && sent < total; i += 1, sent += 1) {
      const userId = `lat-${sent}`;
      const email = `${userId}@example.com`;
      producedAt.set(sha256Hex(email), Date.now());
      batch.push({ key: userId, headers: { 'workspace-id': h.workspaceId }, value: JSON.stringify({ type: 'track', messageId: `${userId}-e`, userId, event: 'e', context: { traits: { email } } }) });
    }
    await ctx.produce(topic, batch);
    const due = started + (sent / rate) * 1000;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
  }
  await waitFor(async () => {
    const [step] = await stepTotals(h.database.db);
    return step !== undefined && step.entered >= total && step.pending === 0;
  }, { what: 'every user delivered', timeoutMs: 300_000, intervalMs: 200 });

  const audience = h.sandbox.state.audiences.get(canvas.audienceId)!;
  const latencies: number[] = [];
  for (const [memberId, member] of audience.members) {
    const sentAt = member.EMAIL ? producedAt.get(member.EMAIL) : undefined;
    const addedAt = audience.addedAt.get(memberId);
    if (sentAt !== undefined && addedAt !== undefined) latencies.push(addedAt - sentAt);
  }
  await runner.stop();
  await h.close();
  return { p50: percentile(latencies, 50) / 1000, p99: percentile(latencies, 99) / 1000, users: latencies.length, rate };
}
