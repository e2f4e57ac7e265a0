import { createTestDatabase, type TestDatabase } from './database.ts';
import { createTestTopic, testBrokers } from './kafka.ts';
import { stopAllProcesses } from './process.ts';
import { startSystem, type RunningSystem } from './system.ts';

export interface EndToEnd {
  database: TestDatabase;
  topic: string;
  system: RunningSystem;
  /** Stops every process, deletes the topics and drops the database. */
  stop: () => Promise<void>;
}

/** A fresh database, an events topic with its dead-letter topic, and every service as a process. */
export async function startEndToEnd(
  name: string,
  options: Omit<Parameters<typeof startSystem>[0], 'databaseUrl' | 'brokers' | 'topic'> = {},
): Promise<EndToEnd> {
  const database = await createTestDatabase();
  const { topic, admin } = await createTestTopic(name, 3);
  await admin.ensureTopic(`${topic}.dlq`, 1);
  const system = await startSystem({ databaseUrl: database.url, brokers: testBrokers(), topic, ...options });
  return {
    database,
    topic,
    system,
    stop: async () => {
      await stopAllProcesses();
      await admin.deleteTopic(topic).catch(() => undefined);
      await admin.deleteTopic(`${topic}.dlq`).catch(() => undefined);
      await admin.disconnect();
      await database.drop();
    },
  };
}
