import type { ErrorClass, ReplaceErrorKind } from '@canvas/meta-graph';
import { backoffMs, type RetryPolicy } from '../failure-policy.js';

/** How a resync drives Meta's replace session. */
export interface ReplaceSettings {
  /** Meta closes a session this long after its first batch. */
  windowMs: number;
  /** New sessions one resync may start (the first included) before it fails. */
  maxSessions: number;
  /** Failed attempts in a row (throttles not counted) before it fails. */
  maxAttempts: number;
  /** How long Meta may take to report the session finished before the resync is unconfirmed. */
  confirmTimeoutMs: number;
  /** How often a finished upload's session is read. */
  pollIntervalMs: number;
  retry: Pick<RetryPolicy, 'minDelayMs' | 'maxDelayMs'>;
}

/** Where the resync's current session stands, as stored. */
export interface SessionProgress {
  batches: number;
  /** Batches of this session Meta acknowledged; the next batch_seq is one more. */
  batchesSent: number;
  sessionsStarted: number;
  /** When batch 1 of this session was sent; Meta's 90 minutes run from it. */
  sessionStartedAtMs: number | null;
  /** Failed attempts in a row. */
  attempts: number;
}

/** What Meta answered a batch, as the client classified it. */
export type BatchAnswer =
  | { kind: 'accepted' }
  | { kind: 'error'; classification: ErrorClass; replace?: ReplaceErrorKind | undefined; retryAfterMs?: number };

export type BeforeBatch =
  | { kind: 'send'; batchSeq: number; last: boolean }
  | { kind: 'new_session'; reason: string }
  | { kind: 'fail'; reason: string };

export type AfterBatch =
  | { kind: 'acknowledged'; batchesSent: number; confirm: boolean }
  | { kind: 'retry'; atMs: number; countAttempt: boolean; pauseAccount: boolean }
  | { kind: 'new_session'; reason: string }
  | { kind: 'fail'; reason: string };

const newSession = (p: SessionProgress, s: ReplaceSettings, reason: string): BeforeBatch & AfterBatch =>
  p.sessionsStarted >= s.maxSessions
    ? { kind: 'fail', reason: `${reason}; ${s.maxSessions} sessions started, giving up` }
    : { kind: 'new_session', reason };

/**
 * The next batch to send, or a new session when this one's 90 minutes are over (Meta has closed
 * it with what arrived, so it cannot be finished; a resumed upload would only be refused).
 */
export function beforeBatch(p: SessionProgress, nowMs: number, s: ReplaceSettings): BeforeBatch {
  if (p.sessionStartedAtMs !== null && p.batchesSent > 0 && nowMs >= p.sessionStartedAtMs + s.windowMs)
    return newSession(p, s, 'the session passed its 90 minutes before its last batch');
  const batchSeq = Math.min(p.batchesSent + 1, p.batches);
  return { kind: 'send', batchSeq, last: batchSeq === p.batches };
}

const retry = (
  p: SessionProgress,
  s: ReplaceSettings,
  nowMs: number,
  random: () => number,
  reason: string,
): AfterBatch =>
  p.attempts + 1 >= s.maxAttempts
    ? { kind: 'fail', reason: `${reason}; ${s.maxAttempts} attempts in a row failed` }
    : {
        kind: 'retry',
        atMs: nowMs + backoffMs(p.attempts + 1, { ...s.retry, tooSmallRetryMs: 0, defaultThrottleWaitMs: 0 }, random),
        countAttempt: true,
        pauseAccount: false,
      };

/**
 * What a batch's answer means. A kill may hide an acknowledgement: the batch is then sent again,
 * which Meta allows (any batch_seq but 1 may repeat); for the last batch Meta answers "finished"
 * (1870159), which is the acknowledgement that was lost. Sessions Meta closed or never started are
 * started again from batch 1 — never left half replaced.
 */
export function afterBatch(
  p: SessionProgress,
  sentSeq: number,
  answer: BatchAnswer,
  nowMs: number,
  s: ReplaceSettings,
  random: () => number,
): AfterBatch {
  if (answer.kind === 'accepted') return { kind: 'acknowledged', batchesSent: sentSeq, confirm: sentSeq === p.batches };
  switch (answer.replace) {
    case 'session_finished':
      return sentSeq === p.batches
        ? { kind: 'acknowledged', batchesSent: sentSeq, confirm: true }
        : newSession(p, s, 'Meta says the session already finished (1870159)');
    case 'session_timed_out':
      return newSession(p, s, 'Meta closed the session after 90 minutes (1870158)');
    case 'first_batch_missing':
      return newSession(p, s, 'Meta has no first batch of the session (1870147)');
    case 'update_in_progress':
      return retry(p, s, nowMs, random, 'another update of the audience is running (1870145)');
    case 'try_again':
      return retry(p, s, nowMs, random, 'Meta asked to try again (1870148)');
    case 'audience_too_large':
      return { kind: 'fail', reason: 'Meta cannot replace audiences of 100 million people or more (1870144)' };
    case undefined:
      break;
  }
  switch (answer.classification) {
    case 'throttled':
      return {
        kind: 'retry',
        atMs: nowMs + (answer.retryAfterMs ?? s.retry.minDelayMs),
        countAttempt: false,
        pauseAccount: true,
      };
    case 'transient':
    case 'token_invalid':
    case 'tos_not_accepted':
      return retry(p, s, nowMs, random, `the batch was not accepted (${answer.classification})`);
    case 'audience_missing':
    case 'audience_flagged':
    case 'audience_too_small':
    case 'permission':
    case 'invalid_request':
      return { kind: 'fail', reason: `Meta refused the batch (${answer.classification})` };
  }
}

export type ConfirmStep =
  { kind: 'wait'; atMs: number } | { kind: 'check_audience' } | { kind: 'unconfirmed'; reason: string };

/**
 * After the last batch: Meta's session must report that it ended before the audience counts as
 * replaced. A session that still says "uploading" past the timeout (as real ones have been seen to)
 * leaves the resync unconfirmed, never silently done.
 */
export function whileConfirming(
  ended: boolean,
  stage: string | null,
  confirmingSinceMs: number,
  nowMs: number,
  s: ReplaceSettings,
): ConfirmStep {
  if (ended) return { kind: 'check_audience' };
  if (nowMs - confirmingSinceMs >= s.confirmTimeoutMs)
    return {
      kind: 'unconfirmed',
      reason:
        `Meta has not reported the session finished ${Math.round((nowMs - confirmingSinceMs) / 60_000)} min ` +
        `after its last batch (stage ${stage ?? 'unknown'})`,
    };
  return { kind: 'wait', atMs: nowMs + s.pollIntervalMs };
}

/** The audience's operation_status once the session ended: 415 means the replace failed. */
export function afterSessionEnded(
  operationStatus: number | undefined,
  p: SessionProgress,
  nowMs: number,
  s: ReplaceSettings,
):
  | { kind: 'done' }
  | { kind: 'wait'; atMs: number }
  | { kind: 'new_session'; reason: string }
  | { kind: 'fail'; reason: string } {
  if (operationStatus === 415) {
    const next = newSession(p, s, 'Meta reports the replace failed (operation_status 415)');
    return next.kind === 'new_session' ? next : { kind: 'fail', reason: next.reason };
  }
  if (operationStatus === 414) return { kind: 'wait', atMs: nowMs + s.pollIntervalMs };
  return { kind: 'done' };
}
