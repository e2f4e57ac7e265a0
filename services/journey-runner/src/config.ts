import { defaultDatabaseUrl } from '@canvas/db';
import { duration, flag, list, logSettings, port, positiveInt } from '@canvas/runtime';
import { z } from 'zod';

export const runnerConfigSchema = z.object({
  KAFKA_BROKERS: list('127.0.0.1:9092'),
  KAFKA_CLIENT_ID: z.string().default('canvas-journey-runner'),
  EVENTS_TOPIC: z.string().min(1).default('canvas.user-events'),
  DEAD_LETTER_TOPIC: z.string().min(1).default('canvas.user-events.dlq'),
  CONSUMER_GROUP: z.string().min(1).default('canvas-journey-runner'),
  /** Create the topics at start when they are missing (partitions of the events topic). */
  CREATE_TOPICS: flag(true),
  EVENTS_TOPIC_PARTITIONS: positiveInt(6),
  PARTITIONS_CONCURRENTLY: positiveInt(3),
  /** How long the group waits for a silent (killed) member before giving its partitions away. */
  KAFKA_SESSION_TIMEOUT: duration('10s'),
  /** At most a third of the session timeout; also how soon a member hears of a rebalance. */
  KAFKA_HEARTBEAT_INTERVAL: duration('1s'),
  /** How long a rebalance waits for live members to finish their batch and rejoin. */
  KAFKA_REBALANCE_TIMEOUT: duration('15s'),
  /** How often the lag of every assigned partition is measured, idle ones included. */
  LAG_SAMPLE_INTERVAL: duration('10s'),
  /** Messages per PostgreSQL transaction. */
  BATCH_MAX_MESSAGES: positiveInt(2000),
  MAX_EVENT_BYTES: positiveInt(65_536),
  /** Starts on one message without getting past it (crashes) before it is quarantined to the dead-letter topic. */
  QUARANTINE_AFTER: positiveInt(5),
  DATABASE_URL: z.string().url().default(defaultDatabaseUrl),
  DATABASE_POOL_SIZE: positiveInt(8),
  TIMER_POLL_INTERVAL: duration('200ms'),
  TIMER_BATCH_SIZE: positiveInt(500),
  /** How often due segment runs of segment-entry canvases are looked for. */
  SEGMENT_RUN_POLL_INTERVAL: duration('1s'),
  /** Candidates a segment run evaluates and enters per transaction. */
  SEGMENT_RUN_SLICE: positiveInt(5_000),
  /** How long after entering a Facebook Audience step the sync may keep trying. */
  AUDIENCE_RETRY_WINDOW: duration('13h'),
  /** How long behaviour history (track events and their daily rollup) is kept; whole days are dropped. */
  HISTORY_RETENTION: duration('90d'),
  /** Record behaviour history at all (segments over past behaviour need it). */
  HISTORY_RECORDING: flag(true),
  /** How long message ids are remembered to drop re-sent duplicates. */
  DEDUP_RETENTION: duration('7d'),
  CANVAS_REFRESH_INTERVAL: duration('5s'),
  OPS_HOST: z.string().default('127.0.0.1'),
  OPS_PORT: port(9101),
  ...logSettings,
});

export type RunnerConfig = z.infer<typeof runnerConfigSchema>;
