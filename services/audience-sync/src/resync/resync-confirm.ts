import { addCounters, completeResync, settleResyncBatch, type Resync } from '@canvas/db';
import { isGraphApiError, uploadSessionEnded, type UploadSessionState } from '@canvas/meta-graph';
import { afterSessionEnded, whileConfirming } from './replace-plan.js';
import { change, endWith, progressOf, resyncError, startNewSession, type ResyncTask } from './resync-context.js';

/** Reads through the account's limiter; a refused read is retried at the next poll (throttles pause the account). */
async function readMeta<T>(
  task: ResyncTask,
  read: () => Promise<{ data: T }>,
): Promise<{ ok: true; data: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, data: (await task.deps.limiter.schedule(read)).data };
  } catch (error) {
    if (isGraphApiError(error) && error.classification === 'throttled' && error.details.retryAfterMs)
      task.deps.limiter.pauseUntil(task.deps.now().getTime() + error.details.retryAfterMs);
    return { ok: false, error };
  }
}

/**
 * After the last batch: reads the session until Meta says it ended, then the audience's
 * operation_status (415: the replace failed, so a new session), and completes the resync. A session
 * that keeps saying "uploading" past the confirm timeout leaves the resync `unconfirmed`.
 */
export async function confirmReplace(task: ResyncTask, resync: Resync): Promise<Resync | undefined> {
  const { deps } = task;
  const context = { adAccountId: deps.metaAccountId };
  const session = await readMeta<UploadSessionState | undefined>(task, () =>
    deps.replacer.readUploadSession(task.token, resync.audienceId, resync.sessionId ?? '', context),
  );
  if (!session.ok && task.signal.aborted) return undefined;
  const now = deps.now();
  const ended = session.ok && session.data !== undefined && uploadSessionEnded(session.data);
  const stage = session.ok ? (session.data?.stage ?? null) : resync.stage;
  const confirmingSince = (resync.confirmingSince ?? now).getTime();
  const step = whileConfirming(ended, stage, confirmingSince, now.getTime(), deps.settings);
  if (step.kind === 'wait')
    return change(task, resync, {
      stage,
      nextAttemptAt: new Date(step.atMs),
      ...(session.ok
        ? {}
        : { lastError: resyncError('RESYNC_SESSION_UNREAD', 'the session could not be read', session.error, now) }),
    });
  if (step.kind === 'unconfirmed')
    return endWith(
      task,
      resync,
      'unconfirmed',
      { code: 'RESYNC_UNCONFIRMED', message: step.reason, at: now.toISOString() },
      stage,
    );
  const audience = await readMeta(task, () =>
    deps.replacer.getCustomAudience(task.token, resync.audienceId, deps.metaAccountId),
  );
  if (!audience.ok) {
    if (task.signal.aborted) return undefined;
    return change(task, resync, {
      stage,
      nextAttemptAt: new Date(now.getTime() + deps.settings.pollIntervalMs),
      lastError: resyncError('RESYNC_AUDIENCE_UNREAD', 'the audience could not be read', audience.error, now),
    });
  }
  const next = afterSessionEnded(audience.data.operationStatus?.code, progressOf(resync), now.getTime(), deps.settings);
  switch (next.kind) {
    case 'wait':
      return change(task, resync, { stage, nextAttemptAt: new Date(next.atMs) });
    case 'new_session':
      return startNewSession(task, resync, next.reason);
    case 'fail':
      return endWith(task, resync, 'failed', { code: 'RESYNC_FAILED', message: next.reason, at: now.toISOString() });
    case 'done':
      return complete(task, resync, stage ?? 'finished');
  }
}

/**
 * Meta replaced the audience: each batch's held and errored adds are Synced (a transaction per
 * batch, safe to repeat after a kill), then the removals the replace made, and the resync is done.
 */
async function complete(task: ResyncTask, resync: Resync, stage: string): Promise<Resync | undefined> {
  const { deps } = task;
  for (let batch = 1; batch <= (resync.batches ?? 0); batch += 1) {
    await deps.db.transaction().execute(async (tx) => {
      const now = deps.now();
      await addCounters(tx, await settleResyncBatch(tx, resync, batch, now), now, deps.shard);
    });
  }
  const done = await deps.db.transaction().execute(async (tx) => {
    const now = deps.now();
    const completed = await completeResync(tx, resync, stage, now);
    await addCounters(tx, completed.counters, now, deps.shard);
    return completed.resync;
  });
  if (done) {
    deps.metrics.resyncs.inc({ outcome: 'done' });
    deps.metrics.users.inc({ change: 'added' }, done.added ?? 0);
    deps.metrics.users.inc({ change: 'removed' }, done.removed ?? 0);
    deps.logger.info(
      {
        resyncId: done.id,
        canvasId: done.canvasId,
        stepId: done.stepId,
        audienceId: done.audienceId,
        members: done.members,
        added: done.added,
        removed: done.removed,
        sessions: done.sessionsStarted,
      },
      'resync done: Meta replaced the audience',
    );
  }
  return done;
}
