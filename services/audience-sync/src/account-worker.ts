import {
  addCounters,
  adAccountsForMetaId,
  deferEntries,
  dueEntriesPage,
  dueGroups,
  entryAttempts,
  expireHeld,
  expireOverdue,
  groupKey,
  markErrored,
  markRefused,
  markSynced,
  clearAudienceHealth,
  clearMissingAudience,
  noteAudienceHealth,
  noteMissingAudience,
  notePendingReason,
  pendingStats,
  recordTokenCheck,
  savePacing,
  setAdAccountStatus,
  type AdAccountWithToken,
  type Db,
  type DueEntry,
  type EntryError,
  type EntryGroup,
  adAccountTokenRow,
} from '@canvas/db';
import { invalidEntriesMetric } from '@canvas/canvas';
import {
  invalidRows,
  isGraphApiError,
  withTransientRetry,
  type AccountLimiter,
  type AdAccountDirectory,
  type AudienceUploader,
  type GraphApiError,
  type MatchKey,
} from '@canvas/meta-graph';
import { sleep, type Logger, type TokenCipher } from '@canvas/runtime';
import { audienceHealthWatch } from './audience-health.js';
import { failureAction, type RetryPolicy } from './failure-policy.js';
import type { SyncMetrics } from './sync-metrics.js';

export interface AccountWorkerDeps {
  metaAccountId: string;
  db: Db;
  uploader: AudienceUploader;
  /** Checks tokens with Meta's debug_token; without it tokens are only judged by uploads. */
  tokens?: Pick<AdAccountDirectory, 'debugToken'> | undefined;
  /** How often each connected token is checked. */
  tokenCheckIntervalMs: number;
  cipher: TokenCipher;
  limiter: AccountLimiter;
  logger: Logger;
  metrics: SyncMetrics;
  now: () => Date;
  random: () => number;
  batchWindowMs: number;
  maxUsersPerRequest: number;
  maxConcurrent: number;
  /** How long a user may wait on a held connection before it is Errored CREDENTIAL_NOT_RESTORED. */
  holdLimitMs: number;
  policy: RetryPolicy;
  /** Counter shard of this account: one owner at a time, so its rows never contend. */
  shard: number;
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

/**
 * Delivers one Meta ad account's pending users. Every batch window it expires entries past
 * their retry window and drains each due group (audience, action, canvas step) in requests of
 * at most 10,000 users; all groups share the account's limiter, queued fairly.
 */
export class AccountWorker {
  private readonly controller = new AbortController();
  private readonly busy = new Map<string, Promise<void>>();
  private connections = new Map<string, AdAccountWithToken>();
  private heldConnections = new Set<string>();
  private loop: Promise<void> | undefined;
  private lastPacingSave = 0;
  /** Connection id → when a failed token check may be tried again. */
  private readonly tokenCheckRetryAt = new Map<string, number>();
  private reportedThrottleMs = 0;
  private readonly readHealth: ReturnType<typeof audienceHealthWatch>;
  private readonly healthReads = new Set<Promise<void>>();

  constructor(private readonly deps: AccountWorkerDeps) {
    this.readHealth = audienceHealthWatch({ ...deps, intervalMs: deps.tokenCheckIntervalMs });
  }

  private get label() {
    return { ad_account: this.deps.metaAccountId };
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops taking work, lets requests already sent finish and record their outcome. */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.deps.limiter.stop();
    await this.loop;
    await Promise.allSettled([...this.busy.values()]);
    await Promise.allSettled([...this.healthReads]);
  }

  private async run(): Promise<void> {
    while (!this.controller.signal.aborted) {
      const started = Date.now();
      try {
        await this.tick();
      } catch (error) {
        this.deps.logger.error({ err: error }, 'sync round failed');
      }
      await sleep(Math.max(0, this.deps.batchWindowMs - (Date.now() - started)), this.controller.signal);
    }
  }

  /** One batch window: refresh connections, start draining every idle due group, then expire. */
  async tick(): Promise<void> {
    const { db, metaAccountId } = this.deps;
    const now = this.deps.now();
    this.connections = new Map((await adAccountsForMetaId(db, metaAccountId)).map((c) => [c.id, c]));
    this.heldConnections = new Set(
      [...this.connections.values()].filter((c) => c.status !== 'connected').map((c) => c.id),
    );
    await this.checkTokens(now);
    const usable = [...this.connections.values()]
      .filter((c) => c.status === 'connected' && !this.heldConnections.has(c.id))
      .map((c) => c.id);
    const groups = await dueGroups(db, metaAccountId, usable, now);
    // rotate so every group gets an early place in the queue in turn
    const offset = groups.length > 0 ? Math.floor(this.deps.random() * groups.length) : 0;
    for (const group of [...groups.slice(offset), ...groups.slice(0, offset)]) {
      const key = groupKey(group);
      if (this.busy.has(key)) continue;
      const drain = this.drain(group, now).finally(() => this.busy.delete(key));
      this.busy.set(key, drain);
    }
    // after the sends are under way: expiry is not urgent, a user's first batch is
    await db.transaction().execute(async (tx) => {
      const expired = [
        ...(await expireOverdue(tx, metaAccountId, now)),
        ...(await expireHeld(tx, metaAccountId, now, this.deps.holdLimitMs)),
      ];
      await addCounters(tx, expired, now, this.deps.shard);
      const errored = expired.filter((d) => d.metric === 'errored').length;
      if (errored > 0) this.deps.metrics.users.inc({ status: 'errored' }, errored);
    });
    await this.report(now);
  }

  /**
   * Asks Meta about each connected token once per interval, paced by the account's limiter: a
   * token Meta no longer accepts disconnects its connection before any upload needs it.
   */
  private async checkTokens(now: Date): Promise<void> {
    const { tokens, tokenCheckIntervalMs, metrics, logger } = this.deps;
    if (!tokens) return;
    for (const connection of this.connections.values()) {
      if (connection.status !== 'connected') continue;
      const checkedAt = connection.tokenCheckedAt?.getTime() ?? 0;
      if (now.getTime() - checkedAt < tokenCheckIntervalMs) continue;
      if ((this.tokenCheckRetryAt.get(connection.id) ?? 0) > now.getTime()) continue;
      const token = this.deps.cipher.decrypt(connection.tokenCiphertext, adAccountTokenRow(connection));
      let check: { valid: boolean; expiresAt: Date | null; reason: string };
      try {
        const info = await this.deps.limiter.schedule(() => tokens.debugToken(token));
        check = {
          valid: info.isValid,
          expiresAt: info.expiresAt ? new Date(info.expiresAt * 1000) : null,
          reason: 'Meta says the token is no longer valid (expired or revoked); reconnect the account',
        };
      } catch (error) {
        if (!isGraphApiError(error) || error.classification !== 'token_invalid') {
          metrics.tokenChecks.inc({ outcome: 'failed' });
          logger.warn({ err: error, adAccountId: connection.id }, 'could not check a token; trying again later');
          this.tokenCheckRetryAt.set(connection.id, now.getTime() + 60_000);
          continue;
        }
        check = { valid: false, expiresAt: connection.tokenExpiresAt, reason: `${error.code}: ${error.message}` };
      }
      await recordTokenCheck(this.deps.db, connection.id, { ...check, now });
      metrics.tokenChecks.inc({ outcome: check.valid ? 'valid' : 'invalid' });
      if (!check.valid) {
        this.heldConnections.add(connection.id);
        logger.warn(
          { adAccountId: connection.id },
          'token check: Meta no longer accepts the token; the account is disconnected and its users held',
        );
      }
    }
  }

  private async report(now: Date): Promise<void> {
    const { metrics, limiter } = this.deps;
    const stats = await pendingStats(this.deps.db, this.deps.metaAccountId);
    metrics.pending.set(this.label, stats.pending);
    metrics.held.set(this.label, stats.held);
    metrics.oldestPending.set(
      this.label,
      stats.oldestEnteredAt ? (now.getTime() - stats.oldestEnteredAt.getTime()) / 1000 : 0,
    );
    metrics.quotaUsed.set(this.label, limiter.usedInWindow());
    metrics.quotaAllowed.set(this.label, limiter.quotaPerWindow);
    const throttled = limiter.throttledTotalMs;
    if (throttled > this.reportedThrottleMs)
      metrics.throttledSeconds.inc(this.label, (throttled - this.reportedThrottleMs) / 1000);
    this.reportedThrottleMs = throttled;
  }

  /** Sends a group's due entries page by page; a short page is the last of this window. */
  private async drain(group: EntryGroup, now: Date): Promise<void> {
    const sends: Promise<void>[] = [];
    let cursor = '0';
    while (!this.controller.signal.aborted && !this.heldConnections.has(group.adAccountId)) {
      const page = await dueEntriesPage(
        this.deps.db,
        this.deps.metaAccountId,
        group,
        cursor,
        now,
        this.deps.maxUsersPerRequest,
      );
      if (page.length === 0) break;
      cursor = page[page.length - 1]?.id ?? cursor;
      // keep a bounded queue: memory stays flat under any backlog, and other groups get turns
      while (this.deps.limiter.queued() >= this.deps.maxConcurrent * 2 && !this.controller.signal.aborted)
        await sleep(20);
      sends.push(this.send(group, page));
      if (page.length < this.deps.maxUsersPerRequest) break;
    }
    await Promise.allSettled(sends);
  }

  private async send(group: EntryGroup, page: readonly DueEntry[]): Promise<void> {
    const { deps } = this;
    const connection = this.connections.get(group.adAccountId);
    if (!connection) return;
    const ids = page.map((e) => e.id);
    const payload = { schema: group.schema as MatchKey[], data: page.map((e) => e.values) };
    const token = deps.cipher.decrypt(connection.tokenCiphertext, adAccountTokenRow(connection));
    const call = () =>
      deps.limiter.schedule(() =>
        group.action === 'add'
          ? deps.uploader.addUsers(token, group.audienceId, payload, { adAccountId: deps.metaAccountId })
          : deps.uploader.removeUsers(token, group.audienceId, payload, { adAccountId: deps.metaAccountId }),
      );
    try {
      const result = await withTransientRetry(call, {
        retries: 2,
        minTimeoutMs: 250,
        maxTimeoutMs: 2000,
        onRetry: (error) =>
          deps.metrics.requests.inc({
            outcome: 'transient',
            code: String((error as GraphApiError).details?.metaCode ?? 'none'),
          }),
      });
      const now = deps.now();
      if (result.usage) {
        deps.limiter.observeUsage(result.usage);
        deps.metrics.usage.set(this.label, result.usage.percent);
      }
      const refused = this.refusedRows(group, page, result.data.numInvalidEntries, result.data.invalidEntrySamples);
      const refusedIds = new Set(refused.map((r) => r.id));
      const synced = ids.filter((id) => !refusedIds.has(id));
      await deps.db.transaction().execute(async (tx) => {
        await addCounters(tx, await markSynced(tx, deps.metaAccountId, synced, now), now, deps.shard);
        await clearMissingAudience(tx, group.audienceId);
        await clearAudienceHealth(tx, group.audienceId, 'flagged');
        for (const reason of new Set(refused.map((r) => r.reason))) {
          const error = { code: 'META_INVALID_ENTRY', message: reason, at: now.toISOString() };
          const refusedForIt = refused.filter((r) => r.reason === reason).map((r) => r.id);
          const moved = await markRefused(tx, deps.metaAccountId, refusedForIt, error, now);
          await addCounters(tx, moved, now, deps.shard);
        }
        if (result.data.numInvalidEntries > 0) {
          const { canvasId, version, stepId } = group;
          const invalid = {
            canvasId,
            version,
            stepId,
            metric: invalidEntriesMetric,
            delta: result.data.numInvalidEntries,
          };
          await addCounters(tx, [invalid], now, deps.shard);
        }
      });
      deps.metrics.requests.inc({ outcome: 'success', code: 'none' });
      deps.metrics.users.inc({ status: 'synced' }, synced.length);
      if (refused.length > 0) deps.metrics.users.inc({ status: 'not_synced' }, refused.length);
      deps.metrics.invalidEntries.inc(this.label, result.data.numInvalidEntries);
      deps.metrics.batchUsers.observe(ids.length);
      await this.savePacing(now, {});
      // off the upload path: a health read never delays the next batch
      const read = this.readHealth(token, group.audienceId).finally(() => this.healthReads.delete(read));
      this.healthReads.add(read);
    } catch (error) {
      // a request never sent because the worker is stopping leaves its users pending
      if (this.controller.signal.aborted && !isGraphApiError(error)) return;
      await this.fail(group, connection, ids, error);
    }
  }

  private async fail(
    group: EntryGroup,
    connection: AdAccountWithToken,
    ids: readonly string[],
    error: unknown,
  ): Promise<void> {
    const { deps } = this;
    const now = deps.now();
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
      return;
    }
    const entryError = errorOf(error, now);
    deps.metrics.requests.inc({ outcome: error.classification, code: String(error.details.metaCode ?? 'none') });
    const attempts = error.classification === 'transient' ? await this.attemptsOf(ids[0]) : 0;
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
        deps.limiter.pauseUntil(action.untilMs);
        await deps.db.transaction().execute((tx) =>
          deferEntries(tx, deps.metaAccountId, ids, {
            nextAttemptAt: new Date(action.untilMs),
            countAttempt: false,
            error: entryError,
            now,
          }),
        );
        await this.savePacing(now, { throttledUntil: new Date(action.untilMs) }, true);
        return;
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
        return;
      case 'hold_connection':
        this.heldConnections.add(connection.id);
        await deps.db.transaction().execute(async (tx) => {
          await setAdAccountStatus(tx, connection.id, action.status, `${error.code}: ${error.message}`, now);
          await notePendingReason(tx, deps.metaAccountId, connection.id, entryError, now);
        });
        deps.logger.warn(
          { adAccountId: connection.id, status: action.status },
          'ad account needs attention; its users stay pending until it is reconnected',
        );
        return;
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
        return;
    }
  }

  /**
   * The users of a page whose rows Meta reported invalid, as far as its samples name them; the
   * count is logged per request (never the rows: they hold hashed match keys).
   */
  private refusedRows(
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
    this.deps.logger.warn(
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

  /** Attempts so far of a batch (its entries travel together, so the first speaks for all). */
  private async attemptsOf(id: string | undefined): Promise<number> {
    return id === undefined ? 0 : entryAttempts(this.deps.db, this.deps.metaAccountId, id);
  }

  private async savePacing(now: Date, extra: { throttledUntil?: Date }, force = false): Promise<void> {
    // at most once a second: enough for a new owner to continue the pace
    if (!force && now.getTime() - this.lastPacingSave < 1000) return;
    this.lastPacingSave = now.getTime();
    await savePacing(this.deps.db, this.deps.metaAccountId, { lastRequestAt: now, ...extra }, now).catch(
      (error: unknown) => {
        this.deps.logger.warn({ err: error }, 'could not save pacing');
      },
    );
  }
}
