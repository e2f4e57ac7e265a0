import type { Kafka } from 'kafkajs';
import { toInboundMessage } from './inbound-message.js';
import type { BatchConsumer, BatchHandler, ConsumerEvents, GroupMembership } from './types.js';

export interface ConsumerSettings {
  groupId: string;
  topics: readonly string[];
  /** A group without committed offsets starts from the earliest message, never the latest. */
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** How long the coordinator waits for live members to rejoin during a rebalance. */
  rebalanceTimeoutMs?: number;
  maxBytesPerPartition?: number;
  partitionsConsumedConcurrently?: number;
  events?: ConsumerEvents;
}

/**
 * A consumer-group member with manual offsets: nothing is resolved or committed unless the
 * handler says it is durable, so an early return or a crash re-delivers instead of losing.
 */
export function createBatchConsumer(kafka: Kafka, settings: ConsumerSettings): BatchConsumer {
  const consumer = kafka.consumer({
    groupId: settings.groupId,
    sessionTimeout: settings.sessionTimeoutMs ?? 10_000,
    heartbeatInterval: settings.heartbeatIntervalMs ?? 1000,
    rebalanceTimeout: settings.rebalanceTimeoutMs ?? 15_000,
    maxBytesPerPartition: settings.maxBytesPerPartition ?? 1_048_576,
    retry: { retries: 10 },
  });
  let connected = false;
  let membership: GroupMembership = { member: false, assignment: {} };
  const events = settings.events ?? {};
  const leave = () => {
    membership = { member: false, assignment: {} };
    events.onMembershipChange?.(membership);
  };
  consumer.on(consumer.events.CONNECT, () => {
    connected = true;
  });
  consumer.on(consumer.events.DISCONNECT, () => {
    connected = false;
    leave();
  });
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    membership = { member: true, assignment: event.payload.memberAssignment };
    events.onAssigned?.(event.payload.memberAssignment);
    events.onMembershipChange?.(membership);
  });
  consumer.on(consumer.events.REBALANCING, leave);
  consumer.on(consumer.events.STOP, leave);
  consumer.on(consumer.events.CRASH, (event) => {
    const { error, restart } = event.payload as { error: Error; restart: boolean };
    leave();
    events.onCrash?.(error, restart);
  });

  return {
    async run(handler: BatchHandler) {
      await consumer.connect();
      for (const topic of settings.topics) {
        await consumer.subscribe({ topic, fromBeginning: settings.fromBeginning ?? true });
      }
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently ?? 1,
        eachBatch: async (payload) => {
          const { batch } = payload;
          const isRunning = () => payload.isRunning();
          const isStale = () => payload.isStale();
          if (!isRunning() || isStale() || batch.messages.length === 0) return;
          const messages = batch.messages.map((m) => toInboundMessage(batch.topic, batch.partition, m));
          const next = await handler({
            topic: batch.topic,
            partition: batch.partition,
            messages,
            highWatermark: batch.highWatermark,
            isActive: () => isRunning() && !isStale(),
            heartbeat: () => payload.heartbeat(),
          });
          if (next === undefined) return;
          payload.resolveOffset((BigInt(next) - 1n).toString());
          try {
            await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
          } catch (error) {
            // the offset is already stored with the effects; a later commit or the stored offset covers it
            events.onCommitFailed?.(error as Error);
          }
        },
      });
    },
    async stop() {
      await consumer.disconnect();
    },
    isConnected: () => connected,
    membership: () => membership,
  };
}
