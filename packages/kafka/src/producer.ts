import { Partitioners, type Kafka, type Message, type PartitionMetadata } from 'kafkajs';
import type { OutboundMessage, Producer } from './types.js';

/** How long a topic's partition list is trusted before it is read again. */
const metadataMaxAgeMs = 30_000;

/**
 * A producer that waits for all in-sync replicas, using Kafka's default (murmur2) key
 * partitioner so keys land where Java producers put them. Not idempotent by default: kafkajs
 * then wants endless retries, and a send that never gives up would hold a batch forever.
 *
 * Each request carries one partition. kafkajs tracks a retried send's answers per broker, not per
 * partition (kafkajs issue 1303): when a broker dies and one that already answered becomes the
 * leader of its partitions, those messages are never re-sent and the send still resolves. With one
 * partition per request a retry always goes out again, and every partition's acknowledgement is
 * checked.
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
  const admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  const partitioner = Partitioners.DefaultPartitioner();
  const known = new Map<string, { readAt: number; partitions: PartitionMetadata[] }>();

  async function partitionsOf(topic: string): Promise<PartitionMetadata[]> {
    const cached = known.get(topic);
    if (cached && Date.now() - cached.readAt < metadataMaxAgeMs) return cached.partitions;
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    const partitions = metadata?.partitions ?? [];
    known.set(topic, { readAt: Date.now(), partitions });
    return partitions;
  }

  async function sendToPartition(topic: string, partition: number, messages: Message[]): Promise<void> {
    const acknowledged = await producer.send({ topic, acks: -1, messages });
    if (!acknowledged.some((r) => r.partition === partition && r.errorCode === 0))
      throw new Error(`Kafka did not acknowledge ${messages.length} messages to ${topic}/${partition}`);
  }

  return {
    async send(topic: string, messages: readonly OutboundMessage[]) {
      if (messages.length === 0) return;
      const partitionMetadata = await partitionsOf(topic);
      const byPartition = new Map<number, Message[]>();
      for (const m of messages) {
        const message: Message = { key: m.key, value: m.value, ...(m.headers ? { headers: m.headers } : {}) };
        const partition = m.partition ?? partitioner({ topic, partitionMetadata, message });
        const group = byPartition.get(partition) ?? [];
        group.push({ ...message, partition });
        byPartition.set(partition, group);
      }
      await Promise.all([...byPartition].map(([partition, group]) => sendToPartition(topic, partition, group)));
    },
    async disconnect() {
      await Promise.all([producer.disconnect(), admin.disconnect()]);
    },
  };
}
