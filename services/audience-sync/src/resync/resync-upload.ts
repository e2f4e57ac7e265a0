import {
  sqlStateOf,
  endResync,
  markResyncRowsRefused,
  resyncBatchRows,
  snapshotResyncMembers,
  updateResync,
} from '@canvas/db';
import type { DueResync, Resync } from '@canvas/db';
import { invalidRows, isGraphApiError, replaceErrorKind, type GraphResult, type UsersResult } from '@canvas/meta-graph';
import { afterBatch, beforeBatch, type BatchAnswer } from './replace-plan.js';
import {
  change,
  endWith,
  newSessionId,
  progressOf,
  resyncError,
  startNewSession,
  type ResyncTask,
} from './resync-context.js';
import { resyncPayload, resyncSchema } from './resync-payload.js';

/** A waiting resync may start once the run it waits for has finished, or cannot run (its canvas is not running). */
export const readyToStart = (r: DueResync): boolean =>
  r.runScheduledAt === null || r.runStatus === null || r.runStatus === 'finished' || r.canvasStatus !== 'running';

/**
 * Fixes the members to upload and opens the first session. An empty member list cannot be replaced
 * (a session needs a batch), so that resync fails and the step's removals go the usual way.
 */
export async function startUpload(task: ResyncTask, resync: Resync): Promise<Resync | undefined> {
  const { deps } = task;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const now = deps.now();
      const started = await deps.db.transaction().execute(async (tx) => {
        const snapshot = await snapshotResyncMembers(tx, resync, {
          batchSize: deps.batchSize,
          orderColumns: resyncSchema,
          now,
        });
        if (snapshot.members === 0) {
          const error = {
            code: 'RESYNC_NO_MEMBERS',
            message: "the step's audience has no members to upload; Meta's replace needs at least one",
            at: now.toISOString(),
          };
          return endResync(tx, snapshot, { status: 'failed', error }, now);
        }
        return updateResync(
          tx,
          snapshot,
          {
            status: 'uploading',
            sessionId: newSessionId(),
            sessionsStarted: 1,
            sessionStartedAt: null,
            batchesSent: 0,
            attempts: 0,
            nextAttemptAt: now,
            lastError: null,
          },
          now,
        );
      });
      if (started?.status === 'uploading') {
        deps.metrics.sessions.inc({ reason: 'first' });
        deps.logger.info(
          { resyncId: resync.id, audienceId: resync.audienceId, members: started.members, batches: started.batches },
          'resync started',
        );
      } else if (started?.status === 'failed') deps.metrics.resyncs.inc({ outcome: 'failed' });
      return started;
    } catch (error) {
      // two sessions drawn with the same id on the account: draw again
      if (sqlStateOf(error) !== '23505' || attempt >= 3) throw error;
    }
  }
}

const answerOf = (error: unknown): BatchAnswer =>
  isGraphApiError(error)
    ? {
        kind: 'error',
        classification: error.classification,
        replace: replaceErrorKind(error.details.metaCode, error.details.metaSubcode),
        ...(error.details.retryAfterMs === undefined ? {} : { retryAfterMs: error.details.retryAfterMs }),
      }
    : { kind: 'error', classification: 'transient' };

/**
 * Sends the session's next batch and records what Meta said: acknowledged batches move the resync
 * on (the last one to confirming), refusals retry, start a new session, or fail it.
 */
export async function sendNextBatch(task: ResyncTask, resync: Resync): Promise<Resync | undefined> {
  const { deps } = task;
  const progress = progressOf(resync);
  const before = beforeBatch(progress, deps.now().getTime(), deps.settings);
  if (before.kind === 'new_session') return startNewSession(task, resync, before.reason);
  if (before.kind === 'fail')
    return endWith(task, resync, 'failed', {
      code: 'RESYNC_FAILED',
      message: before.reason,
      at: deps.now().toISOString(),
    });
  const rows = await resyncBatchRows(deps.db, resync, before.batchSeq);
  const payload = resyncPayload(resync.schema ?? [], rows);
  const sentAt = deps.now();
  let result: GraphResult<UsersResult> | undefined;
  let answer: BatchAnswer;
  let failure: unknown;
  try {
    result = await deps.limiter.schedule(() =>
      deps.replacer.replaceUsers(
        task.token,
        resync.audienceId,
        payload,
        {
          sessionId: Number(resync.sessionId),
          batchSeq: before.batchSeq,
          lastBatchFlag: before.last,
          ...(resync.members ? { estimatedNumTotal: resync.members } : {}),
        },
        { adAccountId: deps.metaAccountId },
      ),
    );
    answer = { kind: 'accepted' };
    if (result.usage) deps.limiter.observeUsage(result.usage);
  } catch (error) {
    // the worker is stopping and the batch was never sent: the next owner sends it
    if (task.signal.aborted && !isGraphApiError(error)) return undefined;
    answer = answerOf(error);
    failure = error;
  }
  const now = deps.now();
  const after = afterBatch(progress, before.batchSeq, answer, now.getTime(), deps.settings, deps.random);
  switch (after.kind) {
    case 'acknowledged': {
      deps.metrics.batches.inc();
      const refused = result
        ? invalidRows(result.data.invalidEntrySamples, payload.data).map(({ index }) => rows[index]!.userId)
        : [];
      await markResyncRowsRefused(deps.db, resync, before.batchSeq, refused);
      return change(task, resync, {
        batchesSent: after.batchesSent,
        addInvalidEntries: result?.data.numInvalidEntries ?? 0,
        attempts: 0,
        lastError: null,
        nextAttemptAt: now,
        ...(before.batchSeq === 1 && result ? { sessionStartedAt: sentAt } : {}),
        ...(after.confirm ? { status: 'confirming' as const, confirmingSince: now, stage: null } : {}),
      });
    }
    case 'retry':
      if (after.pauseAccount) deps.limiter.pauseUntil(after.atMs);
      return change(task, resync, {
        attempts: resync.attempts + (after.countAttempt ? 1 : 0),
        nextAttemptAt: new Date(after.atMs),
        lastError: resyncError('RESYNC_BATCH_REFUSED', `batch ${before.batchSeq} was not accepted`, failure, now),
      });
    case 'new_session':
      return startNewSession(task, resync, after.reason);
    case 'fail':
      return endWith(task, resync, 'failed', resyncError('RESYNC_FAILED', after.reason, failure, now));
  }
}
