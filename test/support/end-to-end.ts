import type { afterAll as AfterAll, beforeAll as BeforeAll } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { newDesigner } from './designer.ts';
import { createTestTopic, testBrokers } from './kafka.ts';
import { stopAllProcesses } from './process.ts';
import { connectShopBackend } from './shop-backend.ts';
import { startSystem, type RunningSystem } from './system.ts';

export interface EndToEnd {
  database: TestDatabase;
  topic: string;
  system: RunningSystem;
  /** An upstream shop backend: a plain, connected kafkajs producer (key = userId, the workspace in a header). */
  producer: Awaited<ReturnType<typeof connectShopBackend>>;
  /** A designer with a workspace of its own in this system (see `newDesigner`). */
  designer: (name: string) => ReturnType<typeof newDesigner>;
  /** Calls the Meta sandbox's own `/_sandbox` API and answers its JSON. */
  sandbox: <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;
  /** Stops every process, deletes the topics and drops the database. */
  stop: () => Promise<void>;
}

/** A fresh database, an events topic with its dead-letter topic, every service as a process, and a producer. */
export async function startEndToEnd(
  name: string,
  options: Omit<Parameters<typeof startSystem>[0], 'databaseUrl' | 'brokers' | 'topic'> = {},
): Promise<EndToEnd> {
  const database = await createTestDatabase();
  const { topic, admin } = await createTestTopic(name, 3);
  await admin.ensureTopic(`${topic}.dlq`, 1);
  const system = await startSystem({ databaseUrl: database.url, brokers: testBrokers(), topic, ...options });
  const producer = await connectShopBackend();
  return {
    database,
    topic,
    system,
    producer,
    designer: (workspaceName) => newDesigner(system, database.url, workspaceName),
    sandbox: async <T>(method: string, path: string, body?: unknown) =>
      (await (
        await fetch(`${system.sandbox.url}${path}`, {
          method,
          ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
        })
      ).json()) as T,
    stop: async () => {
      await producer.disconnect();
      await stopAllProcesses();
      await admin.deleteTopic(topic).catch(() => undefined);
      await admin.deleteTopic(`${topic}.dlq`).catch(() => undefined);
      await admin.disconnect();
      await database.drop();
    },
  };
}

/**
 * `startEndToEnd` for a whole `describe`: started before its tests and stopped after them. The answer is
 * filled in when the tests start, so read its fields inside hooks and tests, not while declaring them.
 */
export function useEndToEnd(name: string, options: Parameters<typeof startEndToEnd>[1] = {}): EndToEnd {
  // jest's injected hooks, not an import of them: the benchmarks load test/support outside jest
  const { beforeAll, afterAll } = globalThis as unknown as { beforeAll: typeof BeforeAll; afterAll: typeof AfterAll };
  const e2e = {} as EndToEnd;
  beforeAll(async () => {
    Object.assign(e2e, await startEndToEnd(name, options));
  });
  afterAll(async () => {
    await e2e.stop?.();
  });
  return e2e;
}
