import {
  addCounters,
  adAccountsForMetaId,
  dueEntriesPage,
  dueGroups,
  expireHeld,
  expireOverdue,
  groupKey,
  pendingStats,
  savePacing,
  type AdAccountWithToken,
  type DueEntry,
  type EntryGroup,
  adAccountTokenRow,
} from '@canvas/db';
import {
  withTransientRetry,
  isGraphApiError,
  type AudienceReplacer,
  type AudienceUploader,
  type GraphApiError,
  type LookalikeMaker,
  type MatchKey,
} from '@canvas/meta-graph';
import { pollingLoop, sleep } from '@canvas/runtime';
import type { RetryPolicy } from './failure-policy.js';
import { audienceHealthWatch } from './audience-health.js';
import { recordFailure, recordSuccess, type OutcomeDeps } from './record-outcome.js';
import { tokenCheck, type TokenCheckDeps } from './token-check.js';
import { lookalikeCreator } from './lookalike-creator.js';
import type { ReplaceSettings } from './resync/replace-plan.js';
import type { ResyncMetrics } from './resync/resync-metrics.js';
import { resyncWorker, type ResyncWorker } from './resync/resync-worker.js';

export interface AccountWorkerDeps extends TokenCheckDeps {
  metaAccountId: string;
  uploader: AudienceUploader;
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
  /** Lookalikes steps ask for; without it none are created. */
  lookalikes?: { maker: LookalikeMaker; intervalMs: number; minSourceSize: number } | undefined;
  /** Hears when Meta's usage reports change the pace noticeably (the quota planner reads it). */
  onPaceChange?: (pace: number) => void;
  /** Resyncs of following audiences through Meta's replace sessions; none without a replacer. */
  resync?: { replacer: AudienceReplacer; settings: ReplaceSettings; metrics: ResyncMetrics } | undefined;
}

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
  private lastPacingSave = 0;
  private reportedThrottleMs = 0;
  private reportedPace = 1;
  private readonly loop: ReturnType<typeof pollingLoop>;
  private readonly checkTokens: ReturnType<typeof tokenCheck>;
  private readonly outcome: OutcomeDeps;
  private readonly readHealth: ReturnType<typeof audienceHealthWatch>;
  private readonly healthReads = new Set<Promise<void>>();
  private readonly makeLookalikes: ((token: string) => Promise<void>) | undefined;
  private lookalikeRound: Promise<void> | undefined;
  private readonly resyncs: ResyncWorker | undefined;
  /** Audiences with a users write under way, and those whose writes wait for a resync. */
  private readonly busyAudiences = new Map<string, number>();
  private heldAudiences = new Set<string>();

  constructor(private readonly deps: AccountWorkerDeps) {
    this.readHealth = audienceHealthWatch({ ...deps, intervalMs: deps.tokenCheckIntervalMs });
    this.loop = pollingLoop(
      'sync round',
      async () => {
        await this.tick();
        return false;
      },
      { logger: deps.logger, pollIntervalMs: deps.batchWindowMs, fromStart: true },
    );
    this.checkTokens = tokenCheck(deps);
    this.makeLookalikes = deps.lookalikes && lookalikeCreator({ ...deps, ...deps.lookalikes });
    this.outcome = {
      ...deps,
      pauseUntil: (untilMs) => deps.limiter.pauseUntil(untilMs),
      hold: (connectionId) => this.heldConnections.add(connectionId),
    };
    this.resyncs =
      deps.resync &&
      resyncWorker({
        ...deps,
        ...deps.resync,
        batchSize: deps.maxUsersPerRequest,
        audienceBusy: (audienceId) => (this.busyAudiences.get(audienceId) ?? 0) > 0,
      });
  }

  private get label() {
    return { ad_account: this.deps.metaAccountId };
  }

  start(): void {
    this.loop.start();
  }

  /** Stops taking work, lets requests already sent finish and record their outcome. */
  async stop(): Promise<void> {
    this.controller.abort();
    // before the limiter: a resync batch the limiter drops is not a refusal to count
    const resyncing = this.resyncs?.stop();
    const looping = this.loop.stop();
    await this.deps.limiter.stop();
    await looping;
    await Promise.allSettled([...this.busy.values()]);
    await resyncing;
    await Promise.allSettled([...this.healthReads]);
    await this.lookalikeRound;
  }

  /** One batch window: refresh connections, start draining every idle due group, then expire. */
  async tick(): Promise<void> {
    const { db, metaAccountId } = this.deps;
    const now = this.deps.now();
    this.connections = new Map((await adAccountsForMetaId(db, metaAccountId)).map((c) => [c.id, c]));
    this.heldConnections = new Set(
      [...this.connections.values()].filter((c) => c.status !== 'connected').map((c) => c.id),
    );
    for (const refused of await this.checkTokens(this.connections.values(), now)) this.heldConnections.add(refused);
    const usable = [...this.connections.values()]
      .filter((c) => c.status === 'connected' && !this.heldConnections.has(c.id))
      .map((c) => c.id);
    const groups = await dueGroups(db, metaAccountId, usable, now);
    // read after the groups: an entry of a run a resync waits for is never seen without its resync
    this.heldAudiences = (await this.resyncs?.holding()) ?? new Set();
    // rotate so every group gets an early place in the queue in turn
    const offset = groups.length > 0 ? Math.floor(this.deps.random() * groups.length) : 0;
    for (const group of [...groups.slice(offset), ...groups.slice(0, offset)]) {
      const key = groupKey(group);
      if (this.busy.has(key) || this.heldAudiences.has(group.audienceId)) continue;
      const audienceId = group.audienceId;
      this.busyAudiences.set(audienceId, (this.busyAudiences.get(audienceId) ?? 0) + 1);
      const drain = this.drain(group).finally(() => {
        this.busy.delete(key);
        const left = (this.busyAudiences.get(audienceId) ?? 1) - 1;
        if (left > 0) this.busyAudiences.set(audienceId, left);
        else this.busyAudiences.delete(audienceId);
      });
      this.busy.set(key, drain);
    }
    this.startLookalikes(usable);
    await this.resyncs?.tick(this.connections, new Set(usable), now);
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

  /** One look at the account's due lookalikes at a time, off the upload path, with a usable connection's token. */
  private startLookalikes(usable: readonly string[]): void {
    const connection = usable.map((id) => this.connections.get(id)).find((c) => c !== undefined);
    if (!this.makeLookalikes || !connection || this.lookalikeRound || this.controller.signal.aborted) return;
    const token = this.deps.cipher.decrypt(connection.tokenCiphertext, adAccountTokenRow(connection));
    this.lookalikeRound = this.makeLookalikes(token)
      .catch((error: unknown) =>
        this.deps.logger.warn({ err: error }, 'lookalike round failed; next round tries again'),
      )
      .finally(() => {
        this.lookalikeRound = undefined;
      });
  }

  /** The account's gauges: backlog, held users, the oldest wait, the quota and time throttled. */
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

  /**
   * Sends a group's due entries page by page; a short page is the last of this window. Each page
   * is read once the queue has room, so users handed over while earlier groups were sent still
   * make this window; entries newer than the group's first read wait for the next one.
   */
  private async drain(group: EntryGroup): Promise<void> {
    const sends: Promise<void>[] = [];
    let cursor = '0';
    let dueBy: Date | undefined;
    while (
      !this.controller.signal.aborted &&
      !this.heldConnections.has(group.adAccountId) &&
      !this.heldAudiences.has(group.audienceId)
    ) {
      // keep a bounded queue: memory stays flat under any backlog, and other groups get turns
      while (this.deps.limiter.queued() >= this.deps.maxConcurrent * 2 && !this.controller.signal.aborted)
        await sleep(20);
      if (this.controller.signal.aborted) break;
      dueBy ??= this.deps.now();
      const page = await dueEntriesPage(
        this.deps.db,
        this.deps.metaAccountId,
        group,
        cursor,
        dueBy,
        this.deps.maxUsersPerRequest,
      );
      if (page.length === 0) break;
      cursor = page[page.length - 1]?.id ?? cursor;
      sends.push(this.send(group, page));
      if (page.length < this.deps.maxUsersPerRequest) break;
    }
    await Promise.allSettled(sends);
  }

  private async send(group: EntryGroup, page: readonly DueEntry[]): Promise<void> {
    const { deps } = this;
    const connection = this.connections.get(group.adAccountId);
    if (!connection) return;
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
        this.notePace();
      }
      await recordSuccess(this.outcome, group, page, result.data, now);
      await this.savePacing(now, {});
      // off the upload path: a health read never delays the next batch
      const read = this.readHealth(token, group.audienceId).finally(() => this.healthReads.delete(read));
      this.healthReads.add(read);
    } catch (error) {
      // a request never sent because the worker is stopping leaves its users pending
      if (this.controller.signal.aborted && !isGraphApiError(error)) return;
      const now = deps.now();
      const ids = page.map((e) => e.id);
      const { throttledUntil } = await recordFailure(this.outcome, group, connection, ids, error, now);
      if (throttledUntil) await this.savePacing(now, { throttledUntil }, true);
    }
  }

  private notePace(): void {
    const pace = this.deps.limiter.pace;
    if (Math.abs(pace - this.reportedPace) < 0.05) return;
    this.reportedPace = pace;
    this.deps.onPaceChange?.(pace);
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
