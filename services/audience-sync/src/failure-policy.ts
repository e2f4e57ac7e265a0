import type { ErrorClass } from '@canvas/meta-graph';

/** What the sync does with a batch Meta did not accept. */
export type FailureAction =
  | { kind: 'pause_account'; untilMs: number }
  | { kind: 'retry_later'; atMs: number; countAttempt: boolean }
  | { kind: 'hold_connection'; status: 'disconnected' | 'tos_not_accepted' }
  | { kind: 'error_now' };

export interface RetryPolicy {
  minDelayMs: number;
  maxDelayMs: number;
  tooSmallRetryMs: number;
  defaultThrottleWaitMs: number;
}

/** Full jitter: a delay between half and all of the exponential step, so retries spread out. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * Decided by the error class, never by HTTP status:
 * throttles wait as Meta asks and cost no attempt; transient failures back off; a broken
 * token or unaccepted terms hold the connection's users Pending until it is reconnected;
 * a too-small audience holds a removal; everything else (a flagged audience too) is permanent.
 */
export function failureAction(
  classification: ErrorClass,
  context: {
    nowMs: number;
    attempts: number;
    retryAfterMs?: number | undefined;
    random: () => number;
    policy: RetryPolicy;
  },
): FailureAction {
  switch (classification) {
    case 'throttled':
      return {
        kind: 'pause_account',
        untilMs: context.nowMs + (context.retryAfterMs ?? context.policy.defaultThrottleWaitMs),
      };
    case 'transient':
      return {
        kind: 'retry_later',
        atMs: context.nowMs + backoffMs(context.attempts + 1, context.policy, context.random),
        countAttempt: true,
      };
    case 'token_invalid':
      return { kind: 'hold_connection', status: 'disconnected' };
    case 'tos_not_accepted':
      return { kind: 'hold_connection', status: 'tos_not_accepted' };
    case 'audience_too_small':
      return { kind: 'retry_later', atMs: context.nowMs + context.policy.tooSmallRetryMs, countAttempt: true };
    case 'audience_missing':
    case 'audience_flagged':
    case 'permission':
    case 'invalid_request':
      return { kind: 'error_now' };
    default: {
      const unknown: never = classification;
      return unknown;
    }
  }
}
