import type { Kafka } from 'kafkajs';
import type { Admin } from './types.js';

/** Topic management and offset inspection. */
export async function createAdmin(kafka: Kafka): Promise<Admin> {
  const admin = kafka.admin();
  await admin.connect();

  async function waitForLeaders(topic: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
        if (metadata && metadata.partitions.length > 0 && metadata.partitions.every((p) => p.leader >= 0)) return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error(`topic ${topic} has partitions without a leader`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  return {
    async ensureTopic(topic, partitions, config = {}) {
      const existing = await admin.listTopics();
      if (existing.includes(topic)) return false;
      try {
        const created = await admin.createTopics({
          // a cluster answers "does not host this topic-partition" while leaders are elected: poll instead
          waitForLeaders: false,
          topics: [
            {
              topic,
              numPartitions: partitions,
              replicationFactor: -1,
              configEntries: Object.entries(config).map(([name, value]) => ({ name, value })),
            },
          ],
        });
        await waitForLeaders(topic);
        return created;
      } catch (error) {
        // another process created it between the list and the create
        if ((error as { type?: string }).type === 'TOPIC_ALREADY_EXISTS') return false;
        throw error;
      }
    },
    async deleteTopic(topic) {
      await admin.deleteTopics({ topics: [topic] });
    },
    async topicOffsets(topic) {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets
        .map((o) => ({ partition: o.partition, low: o.low, high: o.high }))
        .sort((a, b) => a.partition - b.partition);
    },
    async committedOffsets(groupId, topic) {
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return (entry?.partitions ?? [])
        .map((p) => ({ partition: p.partition, offset: p.offset }))
        .sort((a, b) => a.partition - b.partition);
    },
    listTopics: () => admin.listTopics(),
    disconnect: () => admin.disconnect(),
  };
}
