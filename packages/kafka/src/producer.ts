import { Partitioners, type Kafka } from 'kafkajs';
import type { OutboundMessage, Producer } from './types.js';

/**
 * A producer that waits for all in-sync replicas, using Kafka's default (murmur2) key
 * partitioner so keys land where Java producers put them. Not idempotent by default: kafkajs
 * then wants endless retries, and a send that never gives up would hold a batch forever.
 */
export async function createProducer(kafka: Kafka, options: { idempotent?: boolean } = {}): Promise<Producer> {
  const idempotent = options.idempotent ?? false;
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent,
    maxInFlightRequests: idempotent ? 1 : 5,
    allowAutoTopicCreation: false,
    ...(idempotent ? { retry: { retries: Number.MAX_SAFE_INTEGER } } : {}),
  });
  await producer.connect();
  return {
    async send(topic: string, messages: readonly OutboundMessage[]) {
      if (messages.length === 0) return;
      await producer.send({
        topic,
        acks: -1,
        messages: messages.map((m) => ({
          key: m.key,
          value: m.value,
          ...(m.headers ? { headers: m.headers } : {}),
          ...(m.partition === undefined ? {} : { partition: m.partition }),
        })),
      });
    },
    disconnect: () => producer.disconnect(),
  };
}
