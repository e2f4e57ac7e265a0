import { randomUUID } from 'node:crypto';
import { stableHash } from '@canvas/canvas';
import {
  audiencesOnAccount,
  connectedMetaAccounts,
  counterShards,
  pingDatabase,
  readPacing,
  recordAccountCapacity,
  type Db,
} from '@canvas/db';
import {
  AccountLimiter,
  createGraphClient,
  customAudienceQuota,
  type AdAccountDirectory,
  type AudienceReplacer,
  type AudienceUploader,
  type LookalikeMaker,
  graphVersionGauge,
  replaceSessionWindowMs,
} from '@canvas/meta-graph';
import { registerReadGauge, type Logger, type ReadinessCheck, type Registry, type TokenCipher } from '@canvas/runtime';
import { AccountWorker } from './account-worker.js';
import type { SyncConfig } from './config.js';
import { createErasureFinisher } from './erasure-finisher.js';
import { createOwnership } from './ownership.js';
import { reconciliationMetrics } from './reconciliation-metrics.js';
import { createReconciliationWatch } from './reconciliation-watch.js';
import { syncMetrics } from './sync-metrics.js';
import { resyncMetrics } from './resync/resync-metrics.js';

export interface SyncDeps {
  config: SyncConfig;
  db: Db;
  cipher: TokenCipher;
  logger: Logger;
  registry: Registry;
  /** Defaults to a Graph client built from the config. */
  uploader?: AudienceUploader & { close?: () => Promise<void> };
  /** Replace sessions for resyncs; defaults to the Graph client built from the config (none with a custom uploader). */
  replacer?: AudienceReplacer;
  /** Token checks; defaults to the Graph client built from the config (none with a custom uploader). */
  tokens?: Pick<AdAccountDirectory, 'debugToken'>;
  /** Lookalike creation; defaults to the Graph client built from the config (none with a custom uploader). */
  lookalikes?: LookalikeMaker;
  now?: () => Date;
  random?: () => number;
}

export interface AudienceSync {
  readiness: ReadinessCheck[];
  owned: () => string[];
  start: () => void;
  /** In-flight requests finish and record their outcome; nothing unsent is marked sent. */
  stop: () => Promise<void>;
}

/** Builds the audience sync; nothing runs until start(). */
export function createAudienceSync(deps: SyncDeps): AudienceSync {
  const { config, db, logger } = deps;
  const replica = config.SYNC_REPLICA_NAME ?? randomUUID().slice(0, 8);
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const metrics = syncMetrics(deps.registry);
  const versionGauge = graphVersionGauge(config.META_GRAPH_VERSION, now);
  registerReadGauge(deps.registry, versionGauge.metric, versionGauge.read);
  const graph =
    deps.uploader ??
    createGraphClient({
      baseUrl: config.META_GRAPH_URL,
      version: config.META_GRAPH_VERSION,
      appId: config.META_APP_ID,
      appSecret: config.META_APP_SECRET,
      timeoutMs: config.META_REQUEST_TIMEOUT,
      defaultThrottleWaitMs: config.META_DEFAULT_THROTTLE_WAIT,
      userAgent: `canvas-audience-sync/${replica}`,
      connections: config.META_MAX_CONCURRENT_REQUESTS * 4,
    });
  const workers = new Map<string, AccountWorker>();
  const watches = new Map<string, ReturnType<typeof createReconciliationWatch>>();
  const watchMetrics = reconciliationMetrics(deps.registry);
  const lookalikeMaker = deps.lookalikes ?? ('createLookalikeAudience' in graph ? graph : undefined);
  const replacer = deps.replacer ?? (deps.uploader ? undefined : (graph as AudienceReplacer));
  const resync = replacer && {
    replacer,
    metrics: resyncMetrics(deps.registry),
    settings: {
      windowMs: replaceSessionWindowMs,
      maxSessions: config.SYNC_RESYNC_MAX_SESSIONS,
      maxAttempts: config.SYNC_RESYNC_MAX_ATTEMPTS,
      confirmTimeoutMs: config.SYNC_RESYNC_CONFIRM_TIMEOUT,
      pollIntervalMs: config.SYNC_RESYNC_POLL_INTERVAL,
      retry: { minDelayMs: config.SYNC_RETRY_MIN_DELAY, maxDelayMs: config.SYNC_RETRY_MAX_DELAY },
    },
  };

  const ownership = createOwnership({
    url: config.DATABASE_URL,
    logger,
    intervalMs: config.SYNC_OWNERSHIP_INTERVAL,
    candidates: () => connectedMetaAccounts(db),
    onAcquire: async (metaAccountId) => {
      const quota =
        config.META_QUOTA_PER_HOUR === 'auto'
          ? customAudienceQuota(await audiencesOnAccount(db, metaAccountId))
          : config.META_QUOTA_PER_HOUR;
      const pacing = await readPacing(db, metaAccountId);
      const limiter = new AccountLimiter({
        quotaPerWindow: quota,
        windowMs: config.META_QUOTA_WINDOW,
        safety: config.META_QUOTA_SAFETY,
        maxConcurrent: config.META_MAX_CONCURRENT_REQUESTS,
      });
      // continue the pace and any throttle the previous owner left behind
      const notBefore = Math.max(
        (pacing.lastRequestAt?.getTime() ?? 0) + limiter.intervalMs,
        pacing.throttledUntil?.getTime() ?? 0,
      );
      limiter.pauseUntil(notBefore);
      // what the quota planner forecasts with: this owner's quota, batching and pace
      const capacity = (paceFactor: number) =>
        recordAccountCapacity(db, {
          metaAccountId,
          quotaPerWindow: quota,
          windowMs: config.META_QUOTA_WINDOW,
          safety: config.META_QUOTA_SAFETY,
          usersPerRequest: config.SYNC_MAX_USERS_PER_REQUEST,
          batchWindowMs: config.SYNC_BATCH_WINDOW,
          paceFactor,
          recordedAt: now(),
        }).catch((error: unknown) =>
          logger.warn({ err: error, metaAccountId }, 'could not record the account capacity'),
        );
      await capacity(1);
      const worker = new AccountWorker({
        metaAccountId,
        db,
        uploader: graph,
        tokens: deps.tokens ?? ('debugToken' in graph ? graph : undefined),
        tokenCheckIntervalMs: config.SYNC_TOKEN_CHECK_INTERVAL,
        cipher: deps.cipher,
        limiter,
        logger: logger.child({ adAccountId: metaAccountId }),
        metrics,
        now,
        random,
        batchWindowMs: config.SYNC_BATCH_WINDOW,
        maxUsersPerRequest: config.SYNC_MAX_USERS_PER_REQUEST,
        maxConcurrent: config.META_MAX_CONCURRENT_REQUESTS,
        holdLimitMs: config.SYNC_CREDENTIAL_HOLD_LIMIT,
        policy: {
          minDelayMs: config.SYNC_RETRY_MIN_DELAY,
          maxDelayMs: config.SYNC_RETRY_MAX_DELAY,
          tooSmallRetryMs: config.SYNC_TOO_SMALL_RETRY_INTERVAL,
          defaultThrottleWaitMs: config.META_DEFAULT_THROTTLE_WAIT,
        },
        shard: counterShards.adAccount(stableHash(metaAccountId)),
        lookalikes: lookalikeMaker && {
          maker: lookalikeMaker,
          intervalMs: config.SYNC_LOOKALIKE_INTERVAL,
          minSourceSize: config.SYNC_LOOKALIKE_MIN_SOURCE,
        },
        onPaceChange: (pace) => void capacity(pace),
        resync,
      });
      workers.set(metaAccountId, worker);
      metrics.owned.set(workers.size);
      metrics.quotaAllowed.set({ ad_account: metaAccountId }, quota);
      worker.start();
      // the owner reads Meta for the account, so the owner watches it
      const watch = createReconciliationWatch({
        metaAccountId,
        db,
        uploader: graph,
        limiter,
        cipher: deps.cipher,
        logger: logger.child({ adAccountId: metaAccountId, component: 'reconciliation' }),
        metrics: watchMetrics,
        now,
        intervalMs: config.SYNC_WATCH_INTERVAL,
        audienceIntervalMs: config.SYNC_WATCH_AUDIENCE_INTERVAL,
        audienceReadsPerRound: config.SYNC_WATCH_AUDIENCE_READS,
        minMatchRate: config.SYNC_WATCH_MIN_MATCH_RATE,
      });
      watches.set(metaAccountId, watch);
      watch.start();
    },
    onLose: async (metaAccountId) => {
      const worker = workers.get(metaAccountId);
      workers.delete(metaAccountId);
      metrics.owned.set(workers.size);
      await worker?.stop();
      // after the worker: its limiter is stopped, so a read waiting on it ends at once
      const watch = watches.get(metaAccountId);
      watches.delete(metaAccountId);
      await watch?.stop();
    },
  });

  let stopping: Promise<void> | undefined;
  const erasures = createErasureFinisher({ db, logger, metrics, now, intervalMs: config.SYNC_BATCH_WINDOW });

  return {
    readiness: [{ name: 'postgres', check: () => pingDatabase(db) }],
    owned: ownership.owned,
    start() {
      ownership.start();
      erasures.start();
      logger.info(
        { replica, batchWindowMs: config.SYNC_BATCH_WINDOW, quota: config.META_QUOTA_PER_HOUR },
        'audience sync started',
      );
    },
    // a second stop (a restart test, then the harness) waits for the first instead of closing twice
    stop() {
      stopping ??= (async () => {
        await erasures.stop();
        await ownership.stop();
        await (graph as { close?: () => Promise<void> }).close?.();
      })();
      return stopping;
    },
  };
}
