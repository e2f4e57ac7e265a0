import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createProducer, type Producer } from '@canvas/kafka';
import {
  createRunnerTestBed,
  seedLaunchedCanvas,
  viewersToAudienceCanvas,
  startRunnerProcess,
  testKafka,
  waitFor,
  type RunnerTestBed,
} from '@canvas/test-support';

const run = promisify(execFile);
const cluster = (...args: string[]) => run('bash', [process.env.KAFKA_CLUSTER_SCRIPT!, ...args], { timeout: 180_000 });

const users = 12_000;
const batch = 400;
const event = (i: number) => ({
  key: `u${i}`,
  value: JSON.stringify({
    type: 'track',
    messageId: `m${i}`,
    userId: `u${i}`,
    event: 'viewed',
    context: { traits: { email: `user${i}@example.com` } },
  }),
});

/** Each partition's offset stored with the effects. */
async function storedOffsets(bed: RunnerTestBed, group: string): Promise<Map<number, number>> {
  const rows = await sql<{ partition: number; next_offset: string }>`
    SELECT partition, next_offset FROM consumer_offsets WHERE consumer_group = ${group}`.execute(bed.database.db);
  return new Map(rows.rows.map((r) => [r.partition, Number(r.next_offset)]));
}

describe('a three-node Kafka cluster losing a broker mid-run', () => {
  let bed: RunnerTestBed;
  let producer: Producer;
  const canvasId = randomUUID();

  beforeAll(async () => {
    bed = await createRunnerTestBed(6, 3);
    producer = await createProducer(testKafka('cluster-producer'));
    await seedLaunchedCanvas(bed.database.db, {
      id: canvasId,
      workspaceId: bed.workspaceId,
      definition: viewersToAudienceCanvas(),
    });
  });

  afterAll(async () => {
    await producer?.disconnect();
    await bed?.close();
  });

  it('replicates the events topic three times with two in sync required', async () => {
    const admin = testKafka('cluster-describe').admin();
    await admin.connect();
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [bed.topic] })).topics;
    const configs = await admin.describeConfigs({
      resources: [{ type: 2, name: bed.topic, configNames: ['min.insync.replicas'] }],
      includeSynonyms: false,
    });
    await admin.disconnect();
    expect(metadata?.partitions.map((p) => p.replicas.length)).toEqual([3, 3, 3, 3, 3, 3]);
    expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('2');
  });

  it(
    'applies every event once across a SIGKILL of one broker and its restart, and ' + 'the counters reconcile',
    async () => {
      const env = bed.env({ BATCH_MAX_MESSAGES: '500' });
      const group = env.CONSUMER_GROUP!;
      const runner = startRunnerProcess(env);
      const headers = { 'workspace-id': bed.workspaceId };
      let killedAt = 0;
      let atKill = new Map<number, number>();
      for (let start = 0; start < users; start += batch) {
        if (start === users / 2) {
          atKill = await storedOffsets(bed, group);
          killedAt = Date.now();
          await cluster('kill', '2');
        }
        const messages = Array.from({ length: Math.min(batch, users - start) }, (_, i) => ({
          ...event(start + i),
          headers,
        }));
        await producer.send(bed.topic, messages);
      }
      // every partition moves on after the kill: leaders and the group coordinator fail over
      await waitFor(
        async () => {
          const now = await storedOffsets(bed, group);
          return [0, 1, 2, 3, 4, 5].every((p) => (now.get(p) ?? 0) > (atKill.get(p) ?? 0));
        },
        { what: 'every partition past its offset at the kill', timeoutMs: 120_000 },
      );
      const recoveredMs = Date.now() - killedAt;
      await cluster('start-node', '2');

      // a producer retry across the kill may write an event twice; the runner applies it once
      await waitFor(
        async () => {
          const row = await sql<{ n: string }>`SELECT count(*) AS n FROM processed_messages`.execute(bed.database.db);
          return Number(row.rows[0]?.n) >= users;
        },
        { what: 'every event applied', timeoutMs: 180_000 },
      ).catch(async (error: unknown) => {
        const row = await sql<{ n: string }>`SELECT count(*) AS n FROM processed_messages`.execute(bed.database.db);
        const offsets = [...(await storedOffsets(bed, group)).entries()];
        const ends = await bed.admin.topicOffsets(bed.topic);
        process.stderr.write(
          `applied ${row.rows[0]?.n}; stored ${JSON.stringify(offsets)}; ends ${JSON.stringify(ends)}\n`,
        );
        process.stderr.write(runner.output().slice(-6000));
        throw error;
      });
      const applied = await sql<{ n: string; distinct_ids: string }>`
      SELECT count(*) AS n, count(DISTINCT message_id) AS distinct_ids FROM processed_messages`.execute(
        bed.database.db,
      );
      expect(applied.rows[0]).toEqual({ n: String(users), distinct_ids: String(users) });
      const counters = await sql<{ metric: string; value: string }>`
      SELECT metric, sum(value)::text AS value FROM step_counters WHERE canvas_id = ${canvasId} AND step_id = 'fb'
      GROUP BY metric`.execute(bed.database.db);
      const m = Object.fromEntries(counters.rows.map((r) => [r.metric, Number(r.value)]));
      expect(m.entered).toBe(users);
      expect(m.entered).toBe((m.synced ?? 0) + (m.not_synced ?? 0) + (m.pending ?? 0) + (m.errored ?? 0));
      process.stderr.write(`[cluster] every partition moved on ${recoveredMs} ms after the SIGKILL\n`);
    },
  );
});
