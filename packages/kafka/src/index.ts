export { createKafka, type KafkaSettings } from './client.js';
export { createBatchConsumer, type ConsumerSettings } from './consumer.js';
export { createProducer } from './producer.js';
export { createAdmin } from './admin.js';
export { readMessageAt } from './read-message.js';
export {
  publishDeadLetters,
  toDeadLetterMessage,
  deadLetterHeaders,
  deadLetterId,
  type DeadLetter,
} from './dead-letter.js';
export type {
  InboundMessage,
  OutboundMessage,
  PartitionBatch,
  BatchHandler,
  BatchConsumer,
  ConsumerEvents,
  GroupMembership,
  Producer,
  Admin,
  TopicOffsets,
  KafkaLogger,
} from './types.js';
