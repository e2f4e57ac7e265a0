import {
  adsOptedOut,
  messageKey,
  planEvents,
  userKey,
  type BatchState,
  type DeadLetterReason,
  type ParsedEvent,
  type Plan,
} from '@canvas/canvas';
import {
  addCounters,
  clearPartitionAttempts,
  counterShards,
  handOffOptOutRemovals,
  lockPartitionOffset,
  lockProfiles,
  markProcessed,
  recordHistory,
  storePartitionOffset,
  suppressedAmong,
  type Db,
  type StoredProfile,
  type Tx,
} from '@canvas/db';
import { publishDeadLetters, type DeadLetter, type InboundMessage, type Producer } from '@canvas/kafka';
import type { CanvasIndex } from './canvas-index.js';
import { entrySegmentHistories } from './entry-segment-histories.js';
import { historyEvents } from './history-window.js';
import { loadPlanWrite } from './load-plan-write.js';
import type { WriteSummary } from './write-plan.js';

/** One input message and what reading it gave. */
export interface ParsedMessage {
  message: InboundMessage;
  result: { ok: true; value: ParsedEvent } | { ok: false; reason: DeadLetterReason; detail: string };
}

export interface PartitionAt {
  topic: string;
  partition: number;
}

export interface EventApplyDeps {
  db: Db;
  index: CanvasIndex;
  producer: Producer;
  now: () => Date;
  consumerGroup: string;
  deadLetterTopic: string;
  retryWindowMs: number;
  /** Behaviour history kept this long; undefined records none. */
  historyRetentionMs: number | undefined;
}

/** What one transaction did, for the metrics. */
export interface ApplyTally {
  applied: number;
  duplicate: number;
  suppressed: number;
  replay: number;
  entered: number;
  capped: number;
  handoffs: WriteSummary['handoffs'];
  historySkipped: number;
  letters: DeadLetter[];
}

const emptyTally = (): ApplyTally => ({
  applied: 0,
  duplicate: 0,
  suppressed: 0,
  replay: 0,
  entered: 0,
  capped: 0,
  handoffs: { pending: 0, not_synced: 0, errored: 0 },
  historySkipped: 0,
  letters: [],
});

const optedOut = (p: { traits: Record<string, unknown>; context: Record<string, unknown> }) =>
  adsOptedOut(p.traits, p.context);

/**
 * Applies a run of messages of one partition in one transaction: dead letters, dedup, history,
 * journeys, counters, hand-offs and the partition offset commit together or not at all.
 */
export function createEventApplier(deps: EventApplyDeps) {
  /** Drops erased users' events and message ids seen before; keeps the first of repeats. */
  async function firstSeen(tx: Tx, parsed: readonly ParsedEvent[], now: Date, tally: ApplyTally) {
    // an erased user's events are skipped, and leave no trace (not even their message ids)
    const users = parsed.map((v) => ({ workspaceId: v.workspaceId, userId: v.event.userId }));
    const suppressed = await suppressedAmong(tx, users, now);
    const valid =
      suppressed.size === 0 ? parsed : parsed.filter((v) => !suppressed.has(userKey(v.workspaceId, v.event.userId)));
    tally.suppressed = parsed.length - valid.length;
    const ids = valid.map((v) => ({
      workspaceId: v.workspaceId,
      userId: v.event.userId,
      messageId: v.event.messageId,
    }));
    const fresh = await markProcessed(tx, ids);
    const claimed = new Set<string>();
    const applied = valid.filter((v) => {
      const key = messageKey(v.workspaceId, v.event.userId, v.event.messageId);
      if (!fresh.has(key) || claimed.has(key)) return false;
      claimed.add(key);
      return true;
    });
    tally.duplicate = valid.length - applied.length;
    return applied;
  }

  /** The batch's users' profiles, locked in a fixed order, and the caps of canvases they may enter. */
  async function lockUsers(tx: Tx, applied: readonly ParsedEvent[]) {
    const users = new Map<string, { workspaceId: string; userId: string; seenAt: Date }>();
    for (const v of applied) {
      const key = userKey(v.workspaceId, v.event.userId);
      const seen = users.get(key);
      if (!seen || v.event.timestamp < seen.seenAt)
        users.set(key, { workspaceId: v.workspaceId, userId: v.event.userId, seenAt: v.event.timestamp });
    }
    const profiles = await lockProfiles(tx, [...users.values()]);
    const caps = new Map<string, number>();
    for (const v of applied) {
      if (v.event.type !== 'track' || !v.event.event) continue;
      for (const canvas of deps.index.triggered(v.workspaceId, v.event.event)) {
        if (canvas.targetCap !== undefined) caps.set(canvas.version.canvasId, canvas.targetCap);
      }
    }
    return { profiles, caps };
  }

  /** Users who opted out of ads in this batch leave every audience they were added to. */
  async function removeNewlyOptedOut(
    tx: Tx,
    loaded: readonly StoredProfile[],
    optedOutBefore: ReadonlySet<string>,
    state: BatchState,
    plan: Plan,
    context: { now: Date; shard: number },
  ) {
    const byWorkspace = new Map<string, string[]>();
    for (const profile of loaded) {
      const key = userKey(profile.workspaceId, profile.userId);
      const current = state.profiles.get(key);
      if (!plan.profiles.has(key) || optedOutBefore.has(key) || current === undefined || !optedOut(current)) continue;
      const users = byWorkspace.get(profile.workspaceId) ?? [];
      users.push(profile.userId);
      byWorkspace.set(profile.workspaceId, users);
    }
    for (const [workspaceId, userIds] of byWorkspace) {
      const removals = await handOffOptOutRemovals(tx, {
        workspaceId,
        userIds,
        now: context.now,
        retryWindowMs: deps.retryWindowMs,
      });
      await addCounters(tx, removals, context.now, context.shard);
    }
  }

  /** Returns the partition's next offset and what was done. */
  return async function applyMessages(
    at: PartitionAt,
    chunk: readonly ParsedMessage[],
    options: { clearAttempts: boolean },
  ): Promise<{ next: bigint; tally: ApplyTally }> {
    const last = chunk[chunk.length - 1];
    const next = BigInt(last?.message.offset ?? '-1') + 1n;
    const tally = emptyTally();
    const partition = { group: deps.consumerGroup, topic: at.topic, partition: at.partition };
    const stored = await deps.db.transaction().execute(async (tx) => {
      const from = await lockPartitionOffset(tx, deps.consumerGroup, at.topic, at.partition);
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
      const applied = await firstSeen(tx, parsed, now, tally);
      if (deps.historyRetentionMs !== undefined) {
        const history = historyEvents(applied, now, deps.historyRetentionMs);
        await recordHistory(tx, history.record);
        tally.historySkipped = history.skipped;
      }
      const { profiles, caps } = await lockUsers(tx, applied);
      const shard = counterShards.partition(at.partition);
      const optedOutBefore = new Set(profiles.filter(optedOut).map((p) => userKey(p.workspaceId, p.userId)));
      const context = { index: deps.index, now, retryWindowMs: deps.retryWindowMs, shard };
      const { state, plan, written } = await loadPlanWrite(tx, context, {
        profiles,
        caps,
        prepare: async (state) => {
          state.histories = await entrySegmentHistories(tx, deps.index, applied, now);
        },
        plan: (state) => planEvents(applied, state, deps.index.lookup(), now),
      });
      await removeNewlyOptedOut(tx, profiles, optedOutBefore, state, plan, { now, shard });
      await storePartitionOffset(tx, deps.consumerGroup, at.topic, at.partition, next, now);
      if (options.clearAttempts) await clearPartitionAttempts(tx, partition);
      tally.applied = applied.length;
      tally.entered = plan.outcomes.entered;
      tally.capped = plan.outcomes.capped;
      tally.handoffs = written.handoffs;
      return next;
    });
    return { next: stored, tally };
  };
}

export type ApplyMessages = ReturnType<typeof createEventApplier>;
