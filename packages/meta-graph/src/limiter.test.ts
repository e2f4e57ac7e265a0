import { describe, expect, it } from '@jest/globals';
import { AccountLimiter, paceFactor } from './limiter.js';

describe('paceFactor', () => {
  it.each([
    ['our own calls near the quota', 97, 95, 1],
    ['a little noise', 50, 46, 1],
    ['another app uses half the quota', 80, 30, 2],
    ['someone else uses almost everything', 100, 0, 20],
  ])('%s', (_name, reported, own, expected) => {
    expect(paceFactor(reported, own)).toBeCloseTo(expected, 5);
  });
});

describe('AccountLimiter', () => {
  it('spaces calls by window / (quota × safety) and pauses until a throttle ends', async () => {
    let now = 1_000_000;
    const limiter = new AccountLimiter({ quotaPerWindow: 100, windowMs: 10_000, safety: 1, maxConcurrent: 1, now: () => now });
    expect(limiter.intervalMs).toBe(100);
    limiter.observeUsage({ percent: 80, regainAccessMs: 0 });
    expect(limiter.intervalMs).toBeCloseTo(500, 5);
    limiter.observeUsage({ percent: 0, regainAccessMs: 0 });
    expect(limiter.intervalMs).toBe(100);
    limiter.pauseUntil(now + 60_000);
    expect(limiter.pausedUntil).toBe(1_060_000);
    now += 1000;
    expect(limiter.throttledTotalMs).toBe(60_000);
    await limiter.stop();
  });

  it('counts calls in the rolling window', async () => {
    let now = 0;
    const limiter = new AccountLimiter({ quotaPerWindow: 1000, windowMs: 1000, safety: 1, maxConcurrent: 4, now: () => now });
    await Promise.all([1, 2, 3].map(() => limiter.schedule(async () => 'ok')));
    expect(limiter.usedInWindow()).toBe(3);
    now = 5000;
    expect(limiter.usedInWindow()).toBe(0);
    await limiter.stop();
  });
});
