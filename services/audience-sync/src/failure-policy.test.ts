import { describe, expect, it } from '@jest/globals';
import { backoffMs, failureAction } from './failure-policy.js';

const policy = { minDelayMs: 1000, maxDelayMs: 60_000, tooSmallRetryMs: 3_600_000, defaultThrottleWaitMs: 30_000 };
const base = { nowMs: 1_000_000, attempts: 0, random: () => 0.5, policy };

describe('failureAction', () => {
  it.each([
    [
      'throttled with an estimate',
      'throttled',
      { retryAfterMs: 120_000 },
      { kind: 'pause_account', untilMs: 1_120_000 },
    ],
    ['throttled without one', 'throttled', {}, { kind: 'pause_account', untilMs: 1_030_000 }],
    ['transient', 'transient', { attempts: 2 }, { kind: 'retry_later', atMs: 1_000_000 + 3000, countAttempt: true }],
    ['token invalid', 'token_invalid', {}, { kind: 'hold_connection', status: 'disconnected' }],
    ['terms not accepted', 'tos_not_accepted', {}, { kind: 'hold_connection', status: 'tos_not_accepted' }],
    ['audience too small', 'audience_too_small', {}, { kind: 'retry_later', atMs: 4_600_000, countAttempt: true }],
    ['audience deleted', 'audience_missing', {}, { kind: 'error_now' }],
    ['audience flagged by Meta (100/1713230)', 'audience_flagged', {}, { kind: 'error_now' }],
    ['permission', 'permission', {}, { kind: 'error_now' }],
    ['invalid request', 'invalid_request', {}, { kind: 'error_now' }],
  ] as const)('%s', (_name, classification, extra, expected) => {
    expect(failureAction(classification, { ...base, ...extra })).toEqual(expected);
  });
});

describe('backoffMs', () => {
  it('grows exponentially with jitter and stops at the maximum', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, policy, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((a) => backoffMs(a, policy, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(30, policy, () => 1)).toBe(60_000);
  });
});
