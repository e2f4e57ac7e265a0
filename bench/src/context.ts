import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { createAdmin, createProducer, createKafka, type OutboundMessage } from '@canvas/kafka';
import type { Db } from '@canvas/db';
import {
  createTestDatabase,
  prepareTemplate,
  provideInfrastructure,
  type Infrastructure,
  type TestDatabase,
} from '../../test/support/index.ts';

export interface BenchContext {
  infrastructure: Infrastructure;
  brokers: string[];
  repeats: number;
  scale: 'full' | 'quick';
  log: (text: string) => void;
  newDatabase: () => Promise<TestDatabase>;
  produce: (topic: string, messages: readonly OutboundMessage[]) => Promise<void>;
  /** Creates a topic (and its dead-letter topic) that is deleted when the run ends. */
  topic: (prefix: string, partitions?: number) => Promise<string>;
  close: () => Promise<void>;
}

/** Kafka and PostgreSQL for the benchmarks, found or started the way the tests do it. */
export async function benchContext(): Promise<BenchContext> {
  const infrastructure = await provideInfrastructure(process.env);
  // BENCH_DATABASE_TEMPLATE: two checkouts benchmarking at once keep apart (preparing drops the template's copies)
  const template = process.env.BENCH_DATABASE_TEMPLATE ?? 'canvas_bench';
  process.env.TEST_DATABASE_TEMPLATE_URL = await prepareTemplate(infrastructure.databaseUrl, template);
  const kafka = createKafka({ brokers: infrastructure.kafkaBrokers, clientId: 'bench' });
  const producer = await createProducer(kafka);
  const admin = await createAdmin(kafka);
  const topics: string[] = [];
  const scale = process.env.BENCH_SCALE === 'quick' ? 'quick' : 'full';
  return {
    infrastructure,
    brokers: infrastructure.kafkaBrokers,
    repeats: Number(process.env.BENCH_REPEATS ?? (scale === 'quick' ? 1 : 3)),
    scale,
    log: (text) => process.stderr.write(`[bench] ${text}\n`),
    newDatabase: createTestDatabase,
    produce: async (topic, messages) => {
      for (let i = 0; i < messages.length; i += 5000) await producer.send(topic, messages.slice(i, i + 5000));
    },
    topic: async (prefix, partitions = 6) => {
      const topic = uniqueTopic(prefix);
      await admin.ensureTopic(topic, partitions);
      await admin.ensureTopic(`${topic}.dlq`, 1);
      topics.push(topic, `${topic}.dlq`);
      return topic;
    },
    close: async () => {
      // deleting a topic under a live producer breaks its metadata refresh, so only at the end
      await producer.disconnect();
      for (const topic of topics) await admin.deleteTopic(topic).catch(() => undefined);
      await admin.disconnect();
      await infrastructure.stop();
    },
  };
}

export const uniqueTopic = (prefix: string) => `bench-${prefix}-${randomBytes(3).toString('hex')}`;

/** Sum of the runner's stored offsets for a consumer group: messages durably applied. */
export async function appliedMessages(db: Db, group: string): Promise<number> {
  const row = await sql<{
    n: string | null;
  }>`SELECT sum(next_offset) AS n FROM consumer_offsets WHERE consumer_group = ${group}`.execute(db);
  return Number(row.rows[0]?.n ?? 0);
}

/** Waits until `done` holds, polling; returns the time the first progress and the end were seen. */
export async function timeProgress(
  progress: () => Promise<number>,
  total: number,
  timeoutMs: number,
): Promise<{ firstAt: number; firstValue: number; doneAt: number; reached: number }> {
  const deadline = Date.now() + timeoutMs;
  let firstAt = 0;
  let firstValue = 0;
  let value = 0;
  while (Date.now() < deadline) {
    value = await progress();
    if (value > 0 && firstAt === 0) {
      firstAt = Date.now();
      firstValue = value;
    }
    if (value >= total) return { firstAt, firstValue, doneAt: Date.now(), reached: value };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { firstAt, firstValue, doneAt: Date.now(), reached: value };
}

/** The heap limit `deploy/k8s/` gives every service under its 512 Mi memory limit. */
export const deployedHeapLimit = '--max-old-space-size=256';

/** Peak resident memory of a process, from /proc (Linux). */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}
