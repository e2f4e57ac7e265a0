import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import {
  createBatchConsumer,
  createProducer,
  deadLetterHeaders,
  type Admin,
  type InboundMessage,
  type OutboundMessage,
} from '@canvas/kafka';
import {
  createTestDatabase,
  createTestTopic,
  prng,
  seedLaunchedCanvas,
  seedWorkspace,
  startRunnerProcess,
  stopAllProcesses,
  testBrokers,
  testKafka,
  uniqueName,
  waitFor,
  type ServiceProcess,
  type TestDatabase,
} from '@canvas/test-support';

const workspaceId = randomUUID();
const good = 10_000;
const malformed = 500;

async function processed(database: TestDatabase, group: string): Promise<number> {
  const row = await sql<{
    n: string | null;
  }>`SELECT sum(next_offset) AS n FROM consumer_offsets WHERE consumer_group = ${group}`.execute(database.db);
  return Number(row.rows[0]?.n ?? 0);
}

describe('dead letters across SIGKILLs', () => {
  let database: TestDatabase;
  let topic: string;
  let admin: Admin;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ topic, admin } = await createTestTopic('events', 3));
    await admin.ensureTopic(`${topic}.dlq`, 3);
    await seedWorkspace(database.db, workspaceId);
    await seedLaunchedCanvas(database.db, {
      id: randomUUID(),
      workspaceId,
      definition: {
        name: 'viewers',
        entry: { trigger: { event: 'viewed' } },
        firstStep: 'end',
        steps: [{ id: 'end', kind: 'exit' }],
      },
    });
  });

  afterAll(async () => {
    await stopAllProcesses();
    await admin.deleteTopic(topic).catch(() => undefined);
    await admin.deleteTopic(`${topic}.dlq`).catch(() => undefined);
    await admin.disconnect();
    await database.drop();
  });

  it('gives every copy of a dead letter the same id, so each malformed message is counted once', async () => {
    const headers = { 'workspace-id': workspaceId };
    const messages: OutboundMessage[] = [];
    for (let i = 0; i < good + malformed; i += 1) {
      const user = `u${i % 997}`;
      messages.push(
        i % 21 === 20
          ? { key: user, value: `{"type":"track","messageId":"bad-${i}",`, headers }
          : {
              key: user,
              value: JSON.stringify({ type: 'track', messageId: `ok-${i}`, userId: user, event: 'viewed' }),
              headers,
            },
      );
    }
    expect(messages.filter((m) => String(m.value).endsWith(',')).length).toBe(malformed);
    const producer = await createProducer(testKafka());
    for (let i = 0; i < messages.length; i += 1000) await producer.send(topic, messages.slice(i, i + 1000));
    await producer.disconnect();

    const env = {
      KAFKA_BROKERS: testBrokers().join(','),
      EVENTS_TOPIC: topic,
      DEAD_LETTER_TOPIC: `${topic}.dlq`,
      CONSUMER_GROUP: uniqueName('runner'),
      DATABASE_URL: database.url,
      BATCH_MAX_MESSAGES: '40',
    };
    let runner: ServiceProcess = startRunnerProcess(env);
    const random = prng(Date.now() % 100_000);
    for (const moment of [0.15, 0.35, 0.55, 0.75].map((m) => m + random() * 0.1)) {
      await waitFor(async () => (await processed(database, env.CONSUMER_GROUP)) >= moment * messages.length, {
        what: `${Math.round(moment * 100)} % processed`,
        timeoutMs: 240_000,
        intervalMs: 20,
      });
      expect(await runner.stop('SIGKILL')).toBe('SIGKILL');
      runner = startRunnerProcess(env);
    }
    await waitFor(async () => (await processed(database, env.CONSUMER_GROUP)) === messages.length, {
      what: 'every message',
      timeoutMs: 240_000,
      intervalMs: 250,
    });
    expect(await runner.stop('SIGTERM')).toBe(0);

    const letters: InboundMessage[] = [];
    const reader = createBatchConsumer(testKafka('dlq-reader'), {
      groupId: uniqueName('dlq'),
      topics: [`${topic}.dlq`],
    });
    await reader.run(async (batch) => {
      letters.push(...batch.messages);
      return (BigInt(batch.messages[batch.messages.length - 1]!.offset) + 1n).toString();
    });
    const ends = await admin.topicOffsets(`${topic}.dlq`);
    const published = ends.reduce((sum, p) => sum + Number(p.high), 0);
    await waitFor(() => letters.length === published, { what: `all ${published} dead letters read` });
    await reader.stop();

    const byId = new Map<string, InboundMessage[]>();
    for (const letter of letters) {
      const id = letter.headers[deadLetterHeaders.id] ?? 'none';
      byId.set(id, [...(byId.get(id) ?? []), letter]);
    }
    expect(byId.size).toBe(malformed);
    for (const [id, copies] of byId) {
      const [sourceTopic, partition, offset] = id.split('/');
      expect(sourceTopic).toBe(topic);
      for (const copy of copies) {
        expect(copy.headers[deadLetterHeaders.sourcePartition]).toBe(partition);
        expect(copy.headers[deadLetterHeaders.sourceOffset]).toBe(offset);
        expect(copy.value?.toString()).toBe(copies[0]!.value?.toString());
      }
    }
    const journeys = await sql<{ n: number }>`SELECT count(*)::int AS n FROM processed_messages`.execute(database.db);
    expect(journeys.rows[0]?.n).toBe(good);
    console.info(
      `dead letters: ${letters.length} published for ${malformed} malformed messages across 4 SIGKILLs (${letters.length - malformed} re-published copies, all with their first copy's id)`,
    );
  });
});
