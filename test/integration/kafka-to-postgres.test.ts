import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createProducer } from '@canvas/kafka';
import {
  createTestDatabase,
  createTestTopic,
  startNode,
  stopAllProcesses,
  testBrokers,
  testKafka,
  uniqueName,
  waitFor,
  type TestDatabase,
} from '@canvas/test-support';
import type { Admin } from '@canvas/kafka';

const total = 20_000;
const probe = fileURLToPath(new URL('../fixtures/probe-consumer.ts', import.meta.url));

describe('Kafka to PostgreSQL with offsets stored beside the effects', () => {
  let database: TestDatabase;
  let topic: string;
  let admin: Admin;
  const group = uniqueName('probe-group');

  beforeAll(async () => {
    database = await createTestDatabase();
    await sql`
      CREATE TABLE probe_rows (
        id bigserial PRIMARY KEY, message_id text NOT NULL, partition int NOT NULL, kafka_offset bigint NOT NULL
      )`.execute(database.db);
    ({ topic, admin } = await createTestTopic('probe', 3));
    const producer = await createProducer(testKafka('probe-producer'));
    for (let start = 0; start < total; start += 1000) {
      const messages = Array.from({ length: 1000 }, (_, i) => ({
        key: `user-${(start + i) % 997}`,
        value: `m-${start + i}`,
      }));
      await producer.send(topic, messages);
    }
    await producer.disconnect();
  });

  afterAll(async () => {
    await stopAllProcesses();
    await admin.deleteTopic(topic).catch(() => undefined);
    await admin.disconnect();
    await database.drop();
  });

  const count = async () => {
    const { rows } = await sql<{ total: string; distinct_ids: string }>`
      SELECT count(*) AS total, count(DISTINCT message_id) AS distinct_ids FROM probe_rows`.execute(database.db);
    return { total: Number(rows[0]?.total), distinct: Number(rows[0]?.distinct_ids) };
  };

  it('ends with every message exactly once after a consumer is killed halfway and restarted', async () => {
    const env = {
      PROBE_BROKERS: testBrokers().join(','),
      PROBE_TOPIC: topic,
      PROBE_GROUP: group,
      PROBE_DATABASE_URL: database.url,
    };
    const first = startNode([probe], { ...env, PROBE_PAUSE_MS: '25' });
    await waitFor(async () => (await count()).total >= total / 4, { what: 'the first quarter', timeoutMs: 120_000 });
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    const afterKill = await count();
    expect(afterKill.total).toBeLessThan(total);

    const second = startNode([probe], env);
    await waitFor(async () => (await count()).total >= total, { what: 'all messages', timeoutMs: 180_000 });
    const ends = await admin.topicOffsets(topic);
    await waitFor(
      async () => {
        const committed = await admin.committedOffsets(group, topic);
        return committed.every((c) => c.offset === ends.find((e) => e.partition === c.partition)?.high);
      },
      { what: 'committed offsets at the end of the topic', timeoutMs: 60_000 },
    );
    expect(await second.stop('SIGTERM')).toBe(0);

    expect(await count()).toEqual({ total, distinct: total });
    const committed = await admin.committedOffsets(group, topic);
    expect(committed.map((c) => c.offset)).toEqual(ends.map((e) => e.high));
    const stored = await sql<{ partition: number; next_offset: string }>`
      SELECT partition, next_offset FROM consumer_offsets WHERE consumer_group = ${group} ORDER BY partition`.execute(
      database.db,
    );
    expect(stored.rows.map((r) => r.next_offset)).toEqual(ends.map((e) => e.high));
    expect(ends.reduce((sum, e) => sum + Number(e.high), 0)).toBe(total);
  });
});
