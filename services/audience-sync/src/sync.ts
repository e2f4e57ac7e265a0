import { randomUUID } from 'node:crypto';
import { stableHash } from '@canvas/canvas';
import {
  audiencesOnAccount,
  connectedMetaAccounts,
  counterShards,
  pingDatabase,
  readPacing,
  type Db,
} from '@canvas/db';
import {
  AccountLimiter,
  createGraphClient,
  customAudienceQuota,
  type AdAccountDirectory,
  type AudienceReplacer,
  type AudienceUploader,
  graphVersionGauge,
  replaceSessionWindowMs,
} from '@canvas/meta-graph';
import { registerReadGauge, type Logger, type ReadinessCheck, type Registry, type TokenCipher } from '@canvas/runtime';
import { AccountWorker } from './account-worker.js';
import type { SyncConfig } from './config.js';
import { createErasureFinisher } from './erasure-finisher.js';
import { createOwnership } from './ownership.js';
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
        resync,
      });
      workers.set(metaAccountId, worker);
      metrics.owned.set(workers.size);
      metrics.quotaAllowed.set({ ad_account: metaAccountId }, quota);
      worker.start();
    },
    onLose: async (metaAccountId) => {
      const worker = workers.get(metaAccountId);
      workers.delete(metaAccountId);
      metrics.owned.set(workers.size);
      await worker?.stop();
    },
  });

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
    async stop() {
      await erasures.stop();
      await ownership.stop();
      await (graph as { close?: () => Promise<void> }).close?.();
    },
  };
}
