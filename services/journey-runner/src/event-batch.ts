import { adsOptedOut, parseEvent, planEvents, userKey, type DeadLetterReason, type ParsedEvent } from '@canvas/canvas';
import {
  addCounters,
  counterShards,
  handOffOptOutRemovals,
  loadJourneys,
  lockEntryCounts,
  lockPartitionOffset,
  lockProfiles,
  markProcessed,
  recordHistory,
  storePartitionOffset,
  type Db,
  suppressedAmong,
} from '@canvas/db';
import {
  publishDeadLetters,
  type DeadLetter,
  type InboundMessage,
  type PartitionBatch,
  type Producer,
} from '@canvas/kafka';
import type { Logger } from '@canvas/runtime';
import { batchState } from './batch-state.js';
import type { CanvasIndex } from './canvas-index.js';
import type { RunnerMetrics } from './runner-metrics.js';
import { historyEvents } from './history-window.js';
import { entrySegmentHistories } from './entry-segment-histories.js';
import { writePlan } from './write-plan.js';

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
}

type Parsed = {
  message: InboundMessage;
  result: { ok: true; value: ParsedEvent } | { ok: false; reason: DeadLetterReason; detail: string };
};

// SQLSTATE classes that mean "this data can never be stored", not "try again"
const poisonClasses = ['22', '54'];
const isPoison = (error: unknown) => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && poisonClasses.some((c) => code.startsWith(c));
};

/**
 * Applies a partition batch in transactions of at most N messages. Each transaction holds the
 * state changes, counters, hand-offs and the partition offset; messages below the stored
 * offset are skipped, message ids seen before change nothing.
 */
export function createEventBatchHandler(deps: EventBatchDeps) {
  let lastWorkspaceRefresh = 0;

  async function parseAll(messages: readonly InboundMessage[]): Promise<Parsed[]> {
    const parsed: Parsed[] = messages.map((message) => ({
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
    const unknown = parsed.some((p) => p.result.ok && !deps.index.hasWorkspace(p.result.value.workspaceId));
    if (unknown && Date.now() - lastWorkspaceRefresh > 1000) {
      // a workspace created a moment ago may not be in the index yet
      lastWorkspaceRefresh = Date.now();
      await deps.index.refresh();
    }
    return parsed.map((p) =>
      p.result.ok && !deps.index.hasWorkspace(p.result.value.workspaceId)
        ? { message: p.message, result: { ok: false, reason: 'unknown_workspace', detail: 'no workspace has this id' } }
        : p,
    );
  }

  async function applyChunk(
    partition: { topic: string; partition: number },
    chunk: readonly Parsed[],
  ): Promise<bigint> {
    const last = chunk[chunk.length - 1];
    const next = BigInt(last?.message.offset ?? '-1') + 1n;
    const started = process.hrtime.bigint();
    const tally = {
      applied: 0,
      duplicate: 0,
      suppressed: 0,
      replay: 0,
      entered: 0,
      capped: 0,
      handoffs: { pending: 0, not_synced: 0, errored: 0 },
      historySkipped: 0,
      letters: [] as DeadLetter[],
    };
    const stored = await deps.db.transaction().execute(async (tx) => {
      const from = await lockPartitionOffset(tx, deps.consumerGroup, partition.topic, partition.partition);
      const fresh = chunk.filter((p) => BigInt(p.message.offset) >= from);
      tally.replay = chunk.length - fresh.length;
      if (fresh.length === 0) return from > next ? from : next;
      const now = deps.now();

      tally.letters = fresh.flatMap((p) =>
        p.result.ok ? [] : [{ message: p.message, reason: p.result.reason, detail: p.result.detail }],
      );
      // published before the commit: a crash in between re-publishes, it never loses one
      if (tally.letters.length > 0) await publishDeadLetters(deps.producer, deps.deadLetterTopic, tally.letters, now);

      const parsed = fresh.flatMap((p) => (p.result.ok ? [p.result.value] : []));
      // an erased user's events are skipped, and leave no trace (not even their message ids)
      const suppressed = await suppressedAmong(
        tx,
        parsed.map((v) => ({ workspaceId: v.workspaceId, userId: v.event.userId })),
        now,
      );
      const valid =
        suppressed.size === 0 ? parsed : parsed.filter((v) => !suppressed.has(`${v.workspaceId}|${v.event.userId}`));
      tally.suppressed = parsed.length - valid.length;
      const firstSeen = await markProcessed(
        tx,
        valid.map((v) => ({ workspaceId: v.workspaceId, userId: v.event.userId, messageId: v.event.messageId })),
      );
      const claimed = new Set<string>();
      const applied = valid.filter((v) => {
        const key = `${v.workspaceId}|${v.event.userId}|${v.event.messageId}`;
        if (!firstSeen.has(key) || claimed.has(key)) return false;
        claimed.add(key);
        return true;
      });
      tally.duplicate = valid.length - applied.length;
      if (deps.historyRetentionMs !== undefined) {
        const history = historyEvents(applied, now, deps.historyRetentionMs);
        await recordHistory(tx, history.record);
        tally.historySkipped = history.skipped;
      }

      const users = new Map<string, { workspaceId: string; userId: string; seenAt: Date }>();
      for (const v of applied) {
        const key = `${v.workspaceId}\u0000${v.event.userId}`;
        const seen = users.get(key);
        if (!seen || v.event.timestamp < seen.seenAt)
          users.set(key, { workspaceId: v.workspaceId, userId: v.event.userId, seenAt: v.event.timestamp });
      }
      const profiles = await lockProfiles(tx, [...users.values()]);
      const journeys = await loadJourneys(tx, [...users.values()]);
      await deps.index.ensureVersions(journeys);

      const caps = new Map<string, number>();
      for (const v of applied) {
        if (v.event.type !== 'track' || !v.event.event) continue;
        for (const canvas of deps.index.triggered(v.workspaceId, v.event.event)) {
          if (canvas.targetCap !== undefined) caps.set(canvas.version.canvasId, canvas.targetCap);
        }
      }
      const entrants = await lockEntryCounts(tx, [...caps.keys()]);
      const state = batchState(profiles, journeys, caps, entrants);
      const optedOut = (p: { traits: Record<string, unknown>; context: Record<string, unknown> }) =>
        adsOptedOut(p.traits, p.context);
      const optedOutBefore = new Set(profiles.filter(optedOut).map((p) => userKey(p.workspaceId, p.userId)));
      state.histories = await entrySegmentHistories(tx, deps.index, applied, now);
      const plan = planEvents(applied, state, deps.index.lookup(), now);
      const written = await writePlan(tx, plan, state, {
        index: deps.index,
        now,
        retryWindowMs: deps.retryWindowMs,
        shard: counterShards.partition(partition.partition),
      });
      // users who opted out of ads in this batch leave every audience they were added to
      const newlyOptedOut = profiles.filter((p) => {
        const key = userKey(p.workspaceId, p.userId);
        const current = state.profiles.get(key);
        return plan.profiles.has(key) && !optedOutBefore.has(key) && current !== undefined && optedOut(current);
      });
      for (const { workspaceId, userId } of newlyOptedOut) {
        const removals = await handOffOptOutRemovals(tx, {
          workspaceId,
          userIds: [userId],
          now,
          retryWindowMs: deps.retryWindowMs,
        });
        await addCounters(tx, removals, now, counterShards.partition(partition.partition));
      }
      await storePartitionOffset(tx, deps.consumerGroup, partition.topic, partition.partition, next, now);
      tally.applied = applied.length;
      tally.entered = plan.outcomes.entered;
      tally.capped = plan.outcomes.capped;
      tally.handoffs = written.handoffs;
      return next;
    });
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
    for (const [status, count] of Object.entries(tally.handoffs)) m.handoffs.inc({ status }, count);
    m.batchSize.observe(chunk.length);
    m.batchDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    return stored;
  }

  /** A chunk whose data PostgreSQL refuses is split, and the message at fault dead-lettered. */
  async function applyOrIsolate(
    partition: { topic: string; partition: number },
    chunk: readonly Parsed[],
  ): Promise<bigint> {
    try {
      return await applyChunk(partition, chunk);
    } catch (error) {
      if (!isPoison(error)) throw error;
      if (chunk.length > 1) {
        let next = 0n;
        for (const single of chunk) next = await applyOrIsolate(partition, [single]);
        return next;
      }
      const [only] = chunk;
      if (!only) throw error;
      deps.logger.warn(
        { partition: partition.partition, offset: only.message.offset, sqlState: (error as { code?: string }).code },
        'message cannot be stored; dead-lettering it',
      );
      return applyChunk(partition, [
        {
          message: only.message,
          result: {
            ok: false,
            reason: 'unprocessable',
            detail: `PostgreSQL refused the data (SQLSTATE ${(error as { code?: string }).code ?? '?'})`,
          },
        },
      ]);
    }
  }

  return async (batch: PartitionBatch): Promise<string | undefined> => {
    let next: bigint | undefined;
    const parsed = await parseAll(batch.messages);
    for (let start = 0; start < parsed.length; start += deps.maxMessagesPerTransaction) {
      if (!batch.isActive()) break;
      next = await applyOrIsolate(batch, parsed.slice(start, start + deps.maxMessagesPerTransaction));
      deps.metrics.lag.set(
        { topic: batch.topic, partition: String(batch.partition) },
        Math.max(0, Number(BigInt(batch.highWatermark) - next)),
      );
      await batch.heartbeat();
    }
    return next?.toString();
  };
}
