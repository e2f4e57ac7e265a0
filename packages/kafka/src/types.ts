/** One record as the project sees it, independent of the Kafka client library. */
export interface InboundMessage {
  topic: string;
  partition: number;
  /** Kafka offset as a decimal string (int64). */
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** Producer or log-append time, milliseconds since the epoch, as a string. */
  timestamp: string;
}

export interface OutboundMessage {
  key: string | Buffer | null;
  value: string | Buffer | null;
  headers?: Record<string, string>;
  partition?: number;
}

/** The messages fetched for one partition, handled as a unit. */
export interface PartitionBatch {
  topic: string;
  partition: number;
  messages: readonly InboundMessage[];
  /** Offset of the next message Kafka will write to this partition. */
  highWatermark: string;
  /** False once the consumer is stopping or lost the partition: finish the unit of work and return. */
  isActive: () => boolean;
  /** Keeps the group membership alive during long work; throws when a rebalance started. */
  heartbeat: () => Promise<void>;
}

/**
 * Handles one partition batch and returns the offset of the next message to read (the
 * last durably processed offset + 1), or undefined when nothing was made durable.
 */
export type BatchHandler = (batch: PartitionBatch) => Promise<string | undefined>;

/** Whether this member holds a place in its group, and the partitions it was given. */
export interface GroupMembership {
  member: boolean;
  assignment: Record<string, number[]>;
}

export interface ConsumerEvents {
  onAssigned?: (assignment: Record<string, number[]>) => void;
  /** Joined (with an assignment, possibly empty), or left: rebalancing, stopped, crashed, disconnected. */
  onMembershipChange?: (membership: GroupMembership) => void;
  onCrash?: (error: Error, willRestart: boolean) => void;
  onCommitFailed?: (error: Error) => void;
}

/** A consumer-group member that reads in partition batches and commits only what the handler made durable. */
export interface BatchConsumer {
  run: (handler: BatchHandler) => Promise<void>;
  /** Finishes the current batches, commits, and leaves the group. */
  stop: () => Promise<void>;
  isConnected: () => boolean;
  membership: () => GroupMembership;
}

export interface Producer {
  send: (topic: string, messages: readonly OutboundMessage[]) => Promise<void>;
  disconnect: () => Promise<void>;
}

export interface TopicOffsets {
  partition: number;
  low: string;
  high: string;
}

export interface Admin {
  ensureTopic: (topic: string, partitions: number, config?: Record<string, string>) => Promise<boolean>;
  deleteTopic: (topic: string) => Promise<void>;
  topicOffsets: (topic: string) => Promise<TopicOffsets[]>;
  committedOffsets: (groupId: string, topic: string) => Promise<{ partition: number; offset: string }[]>;
  listTopics: () => Promise<string[]>;
  disconnect: () => Promise<void>;
}

/** The small logger interface the adapter writes to (pino fits it). */
export interface KafkaLogger {
  debug: (obj: object, msg: string) => void;
  info: (obj: object, msg: string) => void;
  warn: (obj: object, msg: string) => void;
  error: (obj: object, msg: string) => void;
}
