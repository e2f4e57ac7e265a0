import { randomInt } from 'node:crypto';
import { endResync, updateResync, type Db, type Resync, type ResyncChange, type ResyncError } from '@canvas/db';
import { isGraphApiError, type AccountLimiter, type AudienceReplacer } from '@canvas/meta-graph';
import type { Logger } from '@canvas/runtime';
import type { ReplaceSettings, SessionProgress } from './replace-plan.js';
import type { ResyncMetrics } from './resync-metrics.js';

/** What driving one Meta account's resyncs needs. */
export interface ResyncDeps {
  db: Db;
  metaAccountId: string;
  replacer: AudienceReplacer;
  /** The account's limiter: replace batches and session reads spend the same quota as /users. */
  limiter: AccountLimiter;
  logger: Logger;
  metrics: ResyncMetrics;
  now: () => Date;
  random: () => number;
  /** Users per batch (Meta takes at most 10,000). */
  batchSize: number;
  settings: ReplaceSettings;
  /** Counter shard of this account. */
  shard: number;
}

/** A resync as one task drives it: with its token, and a way to tell that the worker is stopping. */
export interface ResyncTask {
  deps: ResyncDeps;
  token: string;
  signal: AbortSignal;
}

/** A positive int64 Meta accepts as a session id; unique per ad account by the table's key. */
export const newSessionId = (): string => String(randomInt(1, 2 ** 48));

export const progressOf = (r: Resync): SessionProgress => ({
  batches: r.batches ?? 0,
  batchesSent: r.batchesSent,
  sessionsStarted: r.sessionsStarted,
  sessionStartedAtMs: r.sessionStartedAt?.getTime() ?? null,
  attempts: r.attempts,
});

/** What is stored of a failure: Meta's error as the client classified it, or our own reason. */
export function resyncError(code: string, message: string, error: unknown, now: Date): ResyncError {
  if (!isGraphApiError(error)) return { code, message, at: now.toISOString() };
  return {
    code: error.code,
    message: `${message}: ${error.message}`,
    metaCode: error.details.metaCode ?? null,
    metaSubcode: error.details.metaSubcode ?? null,
    fbtraceId: error.details.fbtraceId ?? null,
    at: now.toISOString(),
  };
}

export async function change(task: ResyncTask, resync: Resync, update: ResyncChange): Promise<Resync | undefined> {
  return updateResync(task.deps.db, resync, update, task.deps.now());
}

/** Starts the upload over in a new session from batch 1 (Meta closed, finished or lost the last one). */
export async function startNewSession(task: ResyncTask, resync: Resync, reason: string): Promise<Resync | undefined> {
  const { deps } = task;
  deps.metrics.sessions.inc({ reason: 'restarted' });
  deps.logger.warn(
    { resyncId: resync.id, audienceId: resync.audienceId, sessions: resync.sessionsStarted + 1, reason },
    'resync starts a new replace session',
  );
  const now = deps.now();
  return change(task, resync, {
    status: 'uploading',
    sessionId: newSessionId(),
    sessionsStarted: resync.sessionsStarted + 1,
    sessionStartedAt: null,
    batchesSent: 0,
    attempts: 0,
    confirmingSince: null,
    stage: null,
    nextAttemptAt: now,
    lastError: { code: 'RESYNC_SESSION_RESTARTED', message: reason, at: now.toISOString() },
  });
}

/** Ends a resync that cannot complete; the audience's held writes go on through the usual path. */
export async function endWith(
  task: ResyncTask,
  resync: Resync,
  status: 'failed' | 'unconfirmed',
  error: ResyncError,
  stage?: string | null,
): Promise<Resync | undefined> {
  const { deps } = task;
  deps.metrics.resyncs.inc({ outcome: status });
  deps.logger.warn(
    {
      resyncId: resync.id,
      canvasId: resync.canvasId,
      stepId: resync.stepId,
      audienceId: resync.audienceId,
      status,
      code: error.code,
      batchesSent: resync.batchesSent,
      batches: resync.batches,
    },
    status === 'failed' ? 'resync failed' : 'resync unconfirmed: Meta did not report the replace finished',
  );
  return deps.db
    .transaction()
    .execute((tx) => endResync(tx, resync, { status, error, ...(stage === undefined ? {} : { stage }) }, deps.now()));
}
