import { randomBytes } from 'node:crypto';
import { createAdmin, createKafka, type Admin } from '@canvas/kafka';

/** The brokers chosen by the global setup. */
export function testBrokers(): string[] {
  const brokers = process.env.TEST_KAFKA_BROKERS;
  if (!brokers) throw new Error('TEST_KAFKA_BROKERS is not set: run the tests through jest (global setup)');
  return brokers.split(',');
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export function testKafka(clientId = 'canvas-test') {
  return createKafka({ brokers: testBrokers(), clientId });
}

/** A fresh topic with the given partition count; delete it with the returned admin when done. */
export async function createTestTopic(prefix: string, partitions: number): Promise<{ topic: string; admin: Admin }> {
  const admin = await createAdmin(testKafka('canvas-test-admin'));
  const topic = uniqueName(prefix);
  await admin.ensureTopic(topic, partitions);
  return { topic, admin };
}
