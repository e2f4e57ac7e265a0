import { Partitioners, type Kafka } from 'kafkajs';
import type { OutboundMessage, Producer } from './types.js';

/**
 * An idempotent producer that waits for all in-sync replicas, using Kafka's default
 * (murmur2) key partitioner so keys land where Java producers put them.
 */
export async function createProducer(kafka: Kafka, options: { idempotent?: boolean } = {}): Promise<Producer> {
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: options.idempotent ?? true,
    maxInFlightRequests: options.idempotent === false ? 5 : 1,
    allowAutoTopicCreation: false,
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
