import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import {
  createBatchConsumer,
  createProducer,
  type Admin,
  type InboundMessage,
  type OutboundMessage,
} from '@canvas/kafka';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { createTestTopic, testBrokers, testKafka, uniqueName } from './kafka.ts';
import { stopAllProcesses } from './process.ts';
import { seedWorkspace } from './seed.ts';
import { waitFor } from './wait.ts';

/** What a runner test needs: a database with a workspace, an events topic and its dead-letter topic. */
export interface RunnerTestBed {
  database: TestDatabase;
  topic: string;
  dlq: string;
  admin: Admin;
  workspaceId: string;
  /** The runner's environment for this bed, with a fresh consumer group unless one is given. */
  env: (overrides?: Record<string, string>) => Record<string, string>;
  /** Produces messages with the workspace header (unless they carry their own), 1,000 a request unless told. */
  produce: (messages: readonly OutboundMessage[], options?: { perRequest?: number }) => Promise<void>;
  /** Messages a group has applied, from the offsets stored with the effects (the bed's database unless given). */
  processed: (group: string, database?: TestDatabase) => Promise<number>;
  /** Another database with the same workspace, for a second run to compare with; dropped on close. */
  addDatabase: () => Promise<TestDatabase>;
  /** Reads the dead-letter topic until `count` letters arrived. */
  readDeadLetters: (count: number) => Promise<InboundMessage[]>;
  close: () => Promise<void>;
}

export async function createRunnerTestBed(partitions: number, dlqPartitions = 1): Promise<RunnerTestBed> {
  const database = await createTestDatabase();
  const { topic, admin } = await createTestTopic('events', partitions);
  const dlq = `${topic}.dlq`;
  await admin.ensureTopic(dlq, dlqPartitions);
  const workspaceId = randomUUID();
  await seedWorkspace(database.db, workspaceId);
  const extraDatabases: TestDatabase[] = [];
  return {
    database,
    topic,
    dlq,
    admin,
    workspaceId,
    env: (overrides = {}) => ({
      KAFKA_BROKERS: testBrokers().join(','),
      EVENTS_TOPIC: topic,
      DEAD_LETTER_TOPIC: dlq,
      CONSUMER_GROUP: uniqueName('runner'),
      DATABASE_URL: database.url,
      ...overrides,
    }),
    async produce(messages, { perRequest = 1000 } = {}) {
      const producer = await createProducer(testKafka());
      const headed = messages.map((m) => ({ ...m, headers: m.headers ?? { 'workspace-id': workspaceId } }));
      for (let i = 0; i < headed.length; i += perRequest) await producer.send(topic, headed.slice(i, i + perRequest));
      await producer.disconnect();
    },
    async processed(group, from = database) {
      const row = await sql<{ n: string | null }>`
        SELECT sum(next_offset) AS n FROM consumer_offsets WHERE consumer_group = ${group}`.execute(from.db);
      return Number(row.rows[0]?.n ?? 0);
    },
    async addDatabase() {
      const extra = await createTestDatabase();
      extraDatabases.push(extra);
      await seedWorkspace(extra.db, workspaceId);
      return extra;
    },
    async readDeadLetters(count) {
      const letters: InboundMessage[] = [];
      const reader = createBatchConsumer(testKafka('dlq-reader'), { groupId: uniqueName('dlq'), topics: [dlq] });
      await reader.run(async (batch) => {
        letters.push(...batch.messages);
        return (BigInt(batch.messages[batch.messages.length - 1]!.offset) + 1n).toString();
      });
      await waitFor(() => letters.length >= count, { what: `${count} dead letters` });
      await reader.stop();
      return letters;
    },
    async close() {
      await stopAllProcesses();
      await admin.deleteTopic(topic).catch(() => undefined);
      await admin.deleteTopic(dlq).catch(() => undefined);
      await admin.disconnect();
      await Promise.all([database, ...extraDatabases].map((d) => d.drop()));
    },
  };
}
