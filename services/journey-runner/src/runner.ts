import { randomInt } from 'node:crypto';
import { counterShards, maintainHistoryPartitions, pingDatabase, pruneProcessedMessages, type Db } from '@canvas/db';
import {
  createAdmin,
  createBatchConsumer,
  createKafka,
  createProducer,
  type Admin,
  type BatchConsumer,
  type GroupMembership,
  type Producer,
} from '@canvas/kafka';
import type { Logger, ReadinessCheck, Registry } from '@canvas/runtime';
import { CanvasIndex } from './canvas-index.js';
import { listenForCanvasChanges } from './canvas-listener.js';
import type { RunnerConfig } from './config.js';
import { createEventBatchHandler } from './event-batch.js';
import { historyDaysAhead } from './history-window.js';
import { createLagSampler } from './lag-sampler.js';
import type { PlanningLoopDeps } from './load-plan-write.js';
import { runnerMetrics } from './runner-metrics.js';
import { createSegmentRunLoop } from './segment-run-loop.js';
import { createTimerLoop } from './timer-loop.js';

export interface RunnerDeps {
  config: RunnerConfig;
  db: Db;
  logger: Logger;
  registry: Registry;
  now?: () => Date;
  /** Called when the Kafka consumer crashed for good; main exits so a supervisor restarts it. */
  onFatal?: (error: Error) => void;
}

export interface Runner {
  index: CanvasIndex;
  readiness: ReadinessCheck[];
  start: () => Promise<void>;
  /** Finishes the batch in hand, commits, leaves the group, stops the timer loop. */
  stop: () => Promise<void>;
}

/** Builds a journey runner from its dependencies; nothing runs until start(). */
export async function createRunner(deps: RunnerDeps): Promise<Runner> {
  const { config, db, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const metrics = runnerMetrics(deps.registry);
  const kafka = createKafka({
    brokers: config.KAFKA_BROKERS,
    clientId: config.KAFKA_CLIENT_ID,
    logger: logger.child({ component: 'kafka' }),
  });
  const index = new CanvasIndex(db, (canvasId, version, reason) => {
    metrics.unreadableDefinitions.inc();
    logger.error(
      { canvasId, version, reason },
      'canvas version cannot be read; it is left out, the rest keeps running',
    );
  });
  let producer: Producer | undefined;
  let admin: Admin | undefined;
  let consumer: BatchConsumer | undefined;
  let sampleLag: ((assigned: readonly number[]) => Promise<void>) | undefined;
  const assignedPartitions = () => consumer?.membership().assignment[config.EVENTS_TOPIC] ?? [];
  const measureLag = () => {
    void sampleLag?.(assignedPartitions()).catch((error: unknown) =>
      logger.warn({ err: error }, 'measuring consumer lag failed'),
    );
  };
  let forgetPartitions = () => undefined as void;
  const onMembershipChange = (membership: GroupMembership) => {
    // a partition assigned anew starts counted, so a crash on it is noticed by its next owner too
    forgetPartitions();
    const partitions = membership.assignment[config.EVENTS_TOPIC] ?? [];
    metrics.groupMember.set(membership.member ? 1 : 0);
    metrics.assignedPartitions.set(partitions.length);
    if (membership.member) {
      logger.info({ topic: config.EVENTS_TOPIC, partitions }, 'consuming: joined the consumer group');
      measureLag();
    } else logger.info({ group: config.CONSUMER_GROUP }, 'not consuming: left the consumer group or rebalancing');
  };
  let listener: { close: () => Promise<void> } | undefined;
  const intervals: NodeJS.Timeout[] = [];
  let refreshing: Promise<void> | undefined;
  let refreshAgain = false;

  const refresh = () => {
    if (refreshing) {
      refreshAgain = true;
      return;
    }
    refreshing = index
      .refresh()
      .then(() => metrics.canvases.set(index.canvasCount))
      .catch((error: unknown) => logger.error({ err: error }, 'canvas index refresh failed'))
      .finally(() => {
        refreshing = undefined;
        if (refreshAgain) {
          refreshAgain = false;
          refresh();
        }
      });
  };

  // partitions for the retention window and a few days ahead; older days are dropped whole
  const maintainHistory = async () => {
    const retentionDays = Math.ceil(config.HISTORY_RETENTION / 86_400_000);
    const { created, dropped } = await maintainHistoryPartitions(db, now(), retentionDays, historyDaysAhead + 1);
    metrics.historyPartitions.inc({ change: 'created' }, created);
    metrics.historyPartitions.inc({ change: 'dropped' }, dropped);
    if (created + dropped > 0) logger.info({ created, dropped, retentionDays }, 'behaviour history partitions updated');
  };

  const loopDeps = (component: string, pollIntervalMs: number, shard: number): PlanningLoopDeps => ({
    db,
    index,
    logger: logger.child({ component }),
    metrics,
    now,
    pollIntervalMs,
    retryWindowMs: config.AUDIENCE_RETRY_WINDOW,
    shard,
  });

  const timers = createTimerLoop({
    // timer transactions get counter rows of their own, apart from every partition's
    ...loopDeps('timers', config.TIMER_POLL_INTERVAL, counterShards.timerLoop(randomInt(1_000_000))),
    batchSize: config.TIMER_BATCH_SIZE,
  });

  const segmentRuns = createSegmentRunLoop({
    ...loopDeps('segment-runs', config.SEGMENT_RUN_POLL_INTERVAL, counterShards.segmentRunLoop(randomInt(1_000_000))),
    sliceSize: config.SEGMENT_RUN_SLICE,
  });

  return {
    index,
    readiness: [
      { name: 'postgres', check: () => pingDatabase(db) },
      { name: 'kafka', check: async () => consumer?.isConnected() ?? false },
      // ready only while this runner is a member of its group, i.e. actually consuming
      { name: 'consumer-group', check: async () => consumer?.membership().member ?? false },
      { name: 'canvas-index', check: async () => index.ready },
    ],
    async start() {
      await index.refresh();
      metrics.canvases.set(index.canvasCount);
      metrics.groupMember.set(0);
      metrics.assignedPartitions.set(0);
      await maintainHistory();
      intervals.push(
        setInterval(
          () =>
            void maintainHistory().catch((error: unknown) =>
              logger.warn({ err: error }, 'history partition upkeep failed'),
            ),
          3_600_000,
        ),
      );
      admin = await createAdmin(kafka);
      if (config.CREATE_TOPICS) {
        await admin.ensureTopic(config.EVENTS_TOPIC, config.EVENTS_TOPIC_PARTITIONS);
        await admin.ensureTopic(config.DEAD_LETTER_TOPIC, config.EVENTS_TOPIC_PARTITIONS);
      }
      sampleLag = createLagSampler({
        db,
        admin,
        metrics,
        consumerGroup: config.CONSUMER_GROUP,
        topic: config.EVENTS_TOPIC,
      });
      intervals.push(setInterval(measureLag, config.LAG_SAMPLE_INTERVAL));
      producer = await createProducer(kafka);
      listener = listenForCanvasChanges({ url: config.DATABASE_URL, logger, onChange: refresh });
      intervals.push(setInterval(refresh, config.CANVAS_REFRESH_INTERVAL));
      intervals.push(
        setInterval(() => {
          void pruneProcessedMessages(db, new Date(now().getTime() - config.DEDUP_RETENTION), 10_000)
            .then((n) => metrics.dedupPruned.inc(n))
            .catch((error: unknown) => logger.warn({ err: error }, 'pruning message ids failed'));
        }, 600_000),
      );
      const handler = createEventBatchHandler({
        db,
        index,
        producer,
        logger,
        metrics,
        now,
        consumerGroup: config.CONSUMER_GROUP,
        deadLetterTopic: config.DEAD_LETTER_TOPIC,
        maxEventBytes: config.MAX_EVENT_BYTES,
        maxMessagesPerTransaction: config.BATCH_MAX_MESSAGES,
        historyRetentionMs: config.HISTORY_RECORDING ? config.HISTORY_RETENTION : undefined,
        retryWindowMs: config.AUDIENCE_RETRY_WINDOW,
        quarantineAfter: config.QUARANTINE_AFTER,
      });
      forgetPartitions = handler.forgetPartitions;
      consumer = createBatchConsumer(kafka, {
        groupId: config.CONSUMER_GROUP,
        topics: [config.EVENTS_TOPIC],
        fromBeginning: true,
        partitionsConsumedConcurrently: config.PARTITIONS_CONCURRENTLY,
        sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT,
        heartbeatIntervalMs: config.KAFKA_HEARTBEAT_INTERVAL,
        rebalanceTimeoutMs: config.KAFKA_REBALANCE_TIMEOUT,
        events: {
          onMembershipChange,
          onAssigned: (assignment) => logger.info({ assignment }, 'partitions assigned'),
          onCrash: (error, willRestart) => {
            logger.error({ err: error, willRestart }, 'consumer crashed');
            if (!willRestart) deps.onFatal?.(error);
          },
          onCommitFailed: (error) =>
            logger.debug({ err: error }, 'Kafka offset commit failed; the stored offset covers it'),
        },
      });
      await consumer.run(handler);
      timers.start();
      segmentRuns.start();
      logger.info(
        { topic: config.EVENTS_TOPIC, group: config.CONSUMER_GROUP, canvases: index.canvasCount },
        'journey runner started',
      );
    },
    async stop() {
      for (const interval of intervals) clearInterval(interval);
      await consumer?.stop();
      await timers.stop();
      await segmentRuns.stop();
      await listener?.close();
      await refreshing;
      await producer?.disconnect();
      await admin?.disconnect();
    },
  };
}
