import type { Kafka } from 'kafkajs';
import type { Admin } from './types.js';

/** Topic management and offset inspection. */
export async function createAdmin(kafka: Kafka): Promise<Admin> {
  const admin = kafka.admin();
  await admin.connect();
  return {
    async ensureTopic(topic, partitions, config = {}) {
      const existing = await admin.listTopics();
      if (existing.includes(topic)) return false;
      try {
        return await admin.createTopics({
          waitForLeaders: true,
          topics: [
            {
              topic,
              numPartitions: partitions,
              replicationFactor: -1,
              configEntries: Object.entries(config).map(([name, value]) => ({ name, value })),
            },
          ],
        });
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
