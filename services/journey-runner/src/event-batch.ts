import { errorClass, parseEvent } from '@canvas/canvas';
import { countPartitionAttempt, failureKind, pingDatabase, sqlStateOf, storedOffsets, type Db } from '@canvas/db';
import type { InboundMessage, PartitionBatch, Producer } from '@canvas/kafka';
import type { Logger } from '@canvas/runtime';
import type { CanvasIndex } from './canvas-index.js';
import { createEventApplier, type ApplyTally, type ParsedMessage, type PartitionAt } from './event-apply.js';
import type { RunnerMetrics } from './runner-metrics.js';

export interface EventBatchDeps {
  db: Db;
  index: CanvasIndex;
  producer: Producer;
  logger: Logger;
  metrics: RunnerMetrics;
  now: () => Date;
  consumerGroup: string;
  deadLetterTopic: string;
  maxEventBytes: number;
  maxMessagesPerTransaction: number;
  retryWindowMs: number;
  /** Behaviour history kept this long; undefined records none. */
  historyRetentionMs: number | undefined;
  /** Starts on one message without getting past it before that message is quarantined. */
  quarantineAfter: number;
}

export interface EventBatchHandler {
  (batch: PartitionBatch): Promise<string | undefined>;
  /** Partitions were assigned anew: the next batch of each counts as a fresh start. */
  forgetPartitions: () => void;
}

const partitionKey = (at: PartitionAt) => `${at.topic}/${at.partition}`;

/** What a failure says about itself, for a dead letter's detail: class and SQLSTATE, never its text. */
const describeFailure = (error: unknown) => {
  const state = sqlStateOf(error);
  return state ? `${errorClass(error)}, SQLSTATE ${state}` : errorClass(error);
};

/**
 * Applies a partition batch in transactions of at most N messages. A message that cannot be
 * read or applied, for whatever reason, is dead-lettered alone while the partition moves on;
 * failures of the database or the broker are thrown, to be retried. A partition whose runner
 * died on it before is applied one message at a time, and a message it keeps dying on is
 * quarantined (dead-lettered) instead of stopping the partition for good.
 */
export function createEventBatchHandler(deps: EventBatchDeps): EventBatchHandler {
  const started = new Set<string>();
  const applyMessages = createEventApplier(deps);

  async function parseAll(messages: readonly InboundMessage[]): Promise<ParsedMessage[]> {
    const parsed: ParsedMessage[] = messages.map((message) => ({
      message,
      result: parseEvent(
        {
          key: message.key ? message.key.toString('utf8') : null,
          value: message.value,
          workspaceHeader: message.headers['workspace-id'],
          kafkaTimestamp: Number(message.timestamp),
        },
        deps.maxEventBytes,
      ),
    }));
    const unknown = new Set(
      parsed.flatMap((p) =>
        p.result.ok && !deps.index.hasWorkspace(p.result.value.workspaceId) ? [p.result.value.workspaceId] : [],
      ),
    );
    // a workspace created a moment ago may not be in the index yet: one indexed read per batch, never a refresh storm
    if (unknown.size > 0) await deps.index.confirmWorkspaces([...unknown]);
    return parsed.map((p) =>
      p.result.ok && !deps.index.hasWorkspace(p.result.value.workspaceId)
        ? { message: p.message, result: { ok: false, reason: 'unknown_workspace', detail: 'no workspace has this id' } }
        : p,
    );
  }

  function count(tally: ApplyTally, size: number, started: bigint) {
    const m = deps.metrics;
    m.events.inc({ outcome: 'applied' }, tally.applied);
    m.events.inc({ outcome: 'duplicate' }, tally.duplicate);
    m.events.inc({ outcome: 'suppressed' }, tally.suppressed);
    m.events.inc({ outcome: 'replay_skipped' }, tally.replay);
    m.events.inc({ outcome: 'dead_lettered' }, tally.letters.length);
    for (const letter of tally.letters) m.deadLetters.inc({ reason: letter.reason });
    m.entered.inc(tally.entered);
    m.historySkipped.inc(tally.historySkipped);
    m.capped.inc(tally.capped);
    for (const [status, n] of Object.entries(tally.handoffs)) m.handoffs.inc({ status }, n);
    m.batchSize.observe(size);
    m.batchDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
  }

  async function apply(at: PartitionAt, chunk: readonly ParsedMessage[], clearAttempts: boolean) {
    const began = process.hrtime.bigint();
    const { next, tally } = await applyMessages(at, chunk, { clearAttempts });
    count(tally, chunk.length, began);
    return next;
  }

  /** A failure of the messages, not of the world: the chunk is halved until the one at fault is alone. */
  async function applyOrIsolate(
    at: PartitionAt,
    chunk: readonly ParsedMessage[],
    clearAttempts: boolean,
  ): Promise<bigint> {
    try {
      return await apply(at, chunk, clearAttempts);
    } catch (error) {
      if (failureKind(error) === 'transient') throw error;
      // an unforeseen error while PostgreSQL is unreachable is the outage's, not the data's
      if (!(await pingDatabase(deps.db).catch(() => false))) throw error;
      if (chunk.length > 1) {
        const half = Math.ceil(chunk.length / 2);
        await applyOrIsolate(at, chunk.slice(0, half), false);
        return applyOrIsolate(at, chunk.slice(half), clearAttempts);
      }
      const [only] = chunk;
      if (!only) throw error;
      deps.metrics.isolated.inc();
      deps.logger.warn(
        { partition: at.partition, offset: only.message.offset, failure: describeFailure(error) },
        'message cannot be applied; dead-lettering it',
      );
      const detail = `applying the event failed (${describeFailure(error)})`;
      return apply(
        at,
        [{ message: only.message, result: { ok: false, reason: 'unprocessable', detail } }],
        clearAttempts,
      );
    }
  }

  /** One message per transaction, each start counted first, so a crash points at its message. */
  async function applyCarefully(batch: PartitionBatch, unapplied: readonly ParsedMessage[]) {
    deps.metrics.carefulBatches.inc();
    let next: bigint | undefined;
    for (const [i, item] of unapplied.entries()) {
      if (!batch.isActive()) break;
      // the first message's start was counted when the batch began
      const attempts = i === 0 ? 0 : await countPartitionAttempt(deps.db, position(batch), offsetOf(item), deps.now());
      const single = attempts >= deps.quarantineAfter ? quarantine(item, attempts) : item;
      next = await applyOrIsolate(batch, [single], i === unapplied.length - 1);
      await batch.heartbeat();
    }
    return next;
  }

  function quarantine(item: ParsedMessage, attempts: number): ParsedMessage {
    deps.metrics.quarantined.inc();
    deps.logger.error(
      { partition: item.message.partition, offset: item.message.offset, attempts },
      'the runner kept failing on this message; quarantining it to the dead-letter topic',
    );
    const detail = `the runner started on this message ${attempts} times without getting past it`;
    return { message: item.message, result: { ok: false, reason: 'quarantined', detail } };
  }

  const position = (at: PartitionAt) => ({ group: deps.consumerGroup, topic: at.topic, partition: at.partition });
  const offsetOf = (item: ParsedMessage) => BigInt(item.message.offset);

  /** Counts a fresh start on the partition's first unapplied message; answers how many so far. */
  async function countStart(at: PartitionAt, parsed: readonly ParsedMessage[]) {
    const stored = (await storedOffsets(deps.db, deps.consumerGroup, at.topic)).get(at.partition) ?? 0n;
    // Kafka's committed offset may trail the one stored with the effects: replays are not starts
    const unapplied = parsed.filter((p) => offsetOf(p) >= stored);
    const first = unapplied[0];
    const attempts = first ? await countPartitionAttempt(deps.db, position(at), offsetOf(first), deps.now()) : 0;
    return { attempts, unapplied };
  }

  const handler = async (batch: PartitionBatch): Promise<string | undefined> => {
    const key = partitionKey(batch);
    let parsed = await parseAll(batch.messages);
    let counted = false;
    if (!started.has(key)) {
      const { attempts, unapplied } = await countStart(batch, parsed);
      // marked only once counted: a start whose count failed is counted on the retry
      started.add(key);
      counted = attempts > 0;
      const first = unapplied[0];
      if (first && attempts >= deps.quarantineAfter) {
        const held = quarantine(first, attempts);
        parsed = parsed.map((p) => (p === first ? held : p));
        unapplied[0] = held;
      }
      // the runner died on this partition before: find the message one at a time
      if (attempts >= 2) return (await applyCarefully(batch, unapplied))?.toString();
    }
    let next: bigint | undefined;
    for (let start = 0; start < parsed.length; start += deps.maxMessagesPerTransaction) {
      if (!batch.isActive()) break;
      next = await applyOrIsolate(batch, parsed.slice(start, start + deps.maxMessagesPerTransaction), counted);
      counted = false;
      deps.metrics.lag.set(
        { topic: batch.topic, partition: String(batch.partition) },
        Math.max(0, Number(BigInt(batch.highWatermark) - next)),
      );
      await batch.heartbeat();
    }
    return next?.toString();
  };
  return Object.assign(handler, { forgetPartitions: () => started.clear() });
}
