import {
  addCounters,
  deferEntries,
  entryAttempts,
  markErrored,
  markRefused,
  markSynced,
  clearAudienceHealth,
  clearMissingAudience,
  noteAudienceHealth,
  noteMissingAudience,
  notePendingReason,
  setAdAccountStatus,
  type AdAccountWithToken,
  type Db,
  type DueEntry,
  type EntryError,
  type EntryGroup,
} from '@canvas/db';
import { invalidEntriesMetric } from '@canvas/canvas';
import { invalidRows, isGraphApiError, type GraphApiError, type UsersResult } from '@canvas/meta-graph';
import type { Logger } from '@canvas/runtime';
import { failureAction, type RetryPolicy } from './failure-policy.js';
import type { SyncMetrics } from './sync-metrics.js';

/** What recording a request's outcome needs: the account's tables, its counter shard, metrics and policy. */
export interface OutcomeDeps {
  metaAccountId: string;
  db: Db;
  logger: Logger;
  metrics: SyncMetrics;
  random: () => number;
  policy: RetryPolicy;
  /** Counter shard of this account: one owner at a time, so its rows never contend. */
  shard: number;
  /** Pauses the account's limiter until Meta's throttle is over. */
  pauseUntil: (untilMs: number) => void;
  /** Stops using a connection at once, before its status is written. */
  hold: (connectionId: string) => void;
}

const errorOf = (error: GraphApiError, now: Date): EntryError => ({
  code: error.code,
  classification: error.classification,
  message: error.message,
  metaCode: error.details.metaCode ?? null,
  metaSubcode: error.details.metaSubcode ?? null,
  fbtraceId: error.details.fbtraceId ?? null,
  at: now.toISOString(),
});

/** Marks an accepted page Synced, except the rows Meta named invalid (Not synced META_INVALID_ENTRY). */
export async function recordSuccess(
  deps: OutcomeDeps,
  group: EntryGroup,
  page: readonly DueEntry[],
  result: UsersResult,
  now: Date,
): Promise<void> {
  const ids = page.map((e) => e.id);
  const refused = refusedRows(deps.logger, group, page, result.numInvalidEntries, result.invalidEntrySamples);
  const refusedIds = new Set(refused.map((r) => r.id));
  const synced = ids.filter((id) => !refusedIds.has(id));
  await deps.db.transaction().execute(async (tx) => {
    await addCounters(tx, await markSynced(tx, deps.metaAccountId, synced, now), now, deps.shard);
    await clearMissingAudience(tx, group.audienceId);
    await clearAudienceHealth(tx, group.audienceId, 'flagged');
    for (const reason of new Set(refused.map((r) => r.reason))) {
      const error: EntryError = { code: 'META_INVALID_ENTRY', message: reason, at: now.toISOString() };
      const refusedForIt = refused.filter((r) => r.reason === reason).map((r) => r.id);
      const moved = await markRefused(tx, deps.metaAccountId, refusedForIt, error, now);
      await addCounters(tx, moved, now, deps.shard);
    }
    if (result.numInvalidEntries > 0) {
      const { workspaceId, canvasId, version, stepId } = group;
      const invalid = {
        workspaceId,
        canvasId,
        version,
        stepId,
        metric: invalidEntriesMetric,
        delta: result.numInvalidEntries,
      };
      await addCounters(tx, [invalid], now, deps.shard);
    }
  });
  deps.metrics.requests.inc({ outcome: 'success', code: 'none' });
  deps.metrics.users.inc({ status: 'synced' }, synced.length);
  if (refused.length > 0) deps.metrics.users.inc({ status: 'not_synced' }, refused.length);
  deps.metrics.invalidEntries.inc({ ad_account: deps.metaAccountId }, result.numInvalidEntries);
  deps.metrics.batchUsers.observe(ids.length);
}

/**
 * Applies the failure policy to a request Meta did not accept (or that failed unexpectedly):
 * defer, error, or hold the connection. Answers when Meta's throttle ends, for the pacing record.
 */
export async function recordFailure(
  deps: OutcomeDeps,
  group: EntryGroup,
  connection: AdAccountWithToken,
  ids: readonly string[],
  error: unknown,
  now: Date,
): Promise<{ throttledUntil?: Date }> {
  if (!isGraphApiError(error)) {
    deps.logger.error({ err: error, audienceId: group.audienceId }, 'upload failed unexpectedly; retrying later');
    await deps.db.transaction().execute((tx) =>
      deferEntries(tx, deps.metaAccountId, ids, {
        nextAttemptAt: new Date(now.getTime() + deps.policy.minDelayMs),
        countAttempt: true,
        now,
        error: {
          code: 'SYNC_FAILED',
          message: (error as Error).message ?? 'unexpected error',
          at: now.toISOString(),
        },
      }),
    );
    return {};
  }
  const entryError = errorOf(error, now);
  deps.metrics.requests.inc({ outcome: error.classification, code: String(error.details.metaCode ?? 'none') });
  // a batch's entries travel together, so the first one's attempts speak for all
  const first = ids[0];
  const attempts =
    error.classification === 'transient' && first !== undefined
      ? await entryAttempts(deps.db, deps.metaAccountId, first)
      : 0;
  const action = failureAction(error.classification, {
    nowMs: now.getTime(),
    attempts,
    retryAfterMs: error.details.retryAfterMs,
    random: deps.random,
    policy: deps.policy,
  });
  deps.logger.warn(
    {
      audienceId: group.audienceId,
      canvasId: group.canvasId,
      users: ids.length,
      code: error.code,
      metaCode: error.details.metaCode,
      metaSubcode: error.details.metaSubcode,
      fbtraceId: error.details.fbtraceId,
      action: action.kind,
    },
    'Meta did not accept a batch',
  );
  switch (action.kind) {
    case 'pause_account':
      deps.pauseUntil(action.untilMs);
      await deps.db.transaction().execute((tx) =>
        deferEntries(tx, deps.metaAccountId, ids, {
          nextAttemptAt: new Date(action.untilMs),
          countAttempt: false,
          error: entryError,
          now,
        }),
      );
      return { throttledUntil: new Date(action.untilMs) };
    case 'retry_later':
      await deps.db.transaction().execute((tx) =>
        deferEntries(tx, deps.metaAccountId, ids, {
          nextAttemptAt: new Date(action.atMs),
          countAttempt: action.countAttempt,
          error: entryError,
          now,
        }),
      );
      deps.metrics.users.inc({ status: 'deferred' }, ids.length);
      return {};
    case 'hold_connection':
      deps.hold(connection.id);
      await deps.db.transaction().execute(async (tx) => {
        await setAdAccountStatus(tx, connection.id, action.status, `${error.code}: ${error.message}`, now);
        await notePendingReason(tx, deps.metaAccountId, connection.id, entryError, now);
      });
      deps.logger.warn(
        { connectionId: connection.id, status: action.status },
        'ad account needs attention; its users stay pending until it is reconnected',
      );
      return {};
    case 'error_now':
      await deps.db.transaction().execute(async (tx) => {
        await addCounters(tx, await markErrored(tx, deps.metaAccountId, ids, entryError, now), now, deps.shard);
        // canvases using the audience show it as a problem until a write succeeds again
        if (error.classification === 'audience_missing')
          await noteMissingAudience(tx, {
            audienceId: group.audienceId,
            metaAccountId: deps.metaAccountId,
            message: error.message,
            detectedAt: now,
          });
        if (error.classification === 'audience_flagged')
          await noteAudienceHealth(tx, {
            audienceId: group.audienceId,
            problem: 'flagged',
            metaAccountId: deps.metaAccountId,
            message: error.message,
            detectedAt: now,
          });
      });
      deps.metrics.users.inc({ status: 'errored' }, ids.length);
      return {};
  }
}

/**
 * The users of a page whose rows Meta reported invalid, as far as its samples name them; the
 * count is logged per request (never the rows: they hold hashed match keys).
 */
function refusedRows(
  logger: Logger,
  group: EntryGroup,
  page: readonly DueEntry[],
  reported: number,
  samples: unknown,
): { id: string; reason: string }[] {
  if (reported === 0) return [];
  const named = invalidRows(
    samples,
    page.map((e) => e.values),
  ).map(({ index, reason }) => ({ id: page[index]!.id, reason: reason ?? 'Meta reported the row invalid' }));
  logger.warn(
    {
      audienceId: group.audienceId,
      canvasId: group.canvasId,
      stepId: group.stepId,
      users: page.length,
      reported,
      named: named.length,
    },
    'Meta reported invalid entries in an accepted request',
  );
  return named;
}
