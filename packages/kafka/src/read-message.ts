import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { toInboundMessage } from './inbound-message.js';
import type { InboundMessage } from './types.js';

/**
 * Reads the one message at `offset` of a partition, with a throwaway consumer group that is
 * deleted afterwards. Undefined when the broker no longer holds it (retention) or in time.
 */
export async function readMessageAt(
  kafka: Kafka,
  at: { topic: string; partition: number; offset: string },
  timeoutMs = 30_000,
): Promise<InboundMessage | undefined> {
  const groupId = `canvas-read-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000 });
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: at.topic, fromBeginning: true });
    const found = new Promise<InboundMessage | undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          if (batch.partition !== at.partition) return;
          // past the offset without meeting it: the broker no longer holds that message
          if (BigInt(batch.firstOffset() ?? '0') > BigInt(at.offset)) resolve(undefined);
          const m = batch.messages.find((message) => message.offset === at.offset);
          if (!m) return;
          resolve(toInboundMessage(at.topic, at.partition, m));
        },
      });
    });
    consumer.seek({ topic: at.topic, partition: at.partition, offset: at.offset });
    return await found;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
