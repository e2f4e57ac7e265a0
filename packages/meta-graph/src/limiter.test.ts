import { describe, expect, it } from '@jest/globals';
import { AccountLimiter, bucketFor, paceFactor } from './limiter.js';

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
  it.each([
    [100, 0.97, { burst: 2, perWindow: 97 }],
    [100, 1, { burst: 1, perWindow: 99 }],
    [5_000, 0.97, { burst: 100, perWindow: 4850 }],
    [190_040, 0.97, { burst: 100, perWindow: 184_338 }],
    [3, 0.97, { burst: 1, perWindow: 2 }],
  ])('sizes the bucket for a quota of %i at %f so burst + refill stays under the quota', (quota, safety, expected) => {
    const bucket = bucketFor(quota, safety);
    expect(bucket).toEqual(expected);
    expect(bucket.burst + bucket.perWindow).toBeLessThanOrEqual(quota);
  });

  it('never lets a rolling window hold more than quota × safety, and keeps pace under a backlog', async () => {
    const limiter = new AccountLimiter({ quotaPerWindow: 200, windowMs: 1000, safety: 1, maxConcurrent: 50 });
    const starts: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 300 }, () =>
        limiter.schedule(async () => {
          starts.push(Date.now());
        }),
      ),
    );
    const elapsed = Date.now() - started;
    for (let i = 0, j = 0; i < starts.length; i += 1) {
      while (starts[j]! <= starts[i]! - 1000) j += 1;
      expect(i - j + 1).toBeLessThanOrEqual(200);
    }
    // 300 calls at 199 per second after a burst of 1: about 1.5 s
    expect(elapsed).toBeGreaterThan(1300);
    await limiter.stop();
  });

  it('pauses until a throttle ends, and slows for usage that is not ours', async () => {
    let now = 1_000_000;
    const limiter = new AccountLimiter({ quotaPerWindow: 100, windowMs: 10_000, safety: 1, now: () => now });
    expect(limiter.intervalMs).toBeCloseTo(10_000 / 99, 5);
    limiter.observeUsage({ percent: 80, regainAccessMs: 0 });
    expect(limiter.intervalMs).toBeCloseTo((10_000 / 99) * 5, 5);
    limiter.observeUsage({ percent: 0, regainAccessMs: 0 });
    limiter.pauseUntil(now + 60_000);
    expect(limiter.pausedUntil).toBe(1_060_000);
    now += 1000;
    expect(limiter.throttledTotalMs).toBe(60_000);
    await limiter.stop();
  });
});
