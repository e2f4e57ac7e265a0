import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startScaledSyncHarness, syntheticUsers, type SyncHarness } from '@canvas/test-support';

// ten requests a second: pacing, not the machine's speed, decides the count even on two busy cores
const windowMs = 10_000;
const quota = 100;

/** The most requests any rolling window holds, and the mean of windows fully inside the busy period. */
function windowCounts(times: readonly number[]): { max: number; meanInside: number } {
  let max = 0;
  const inside: number[] = [];
  for (let i = 0, j = 0; i < times.length; i += 1) {
    while ((times[j] ?? 0) <= times[i]! - windowMs) j += 1;
    max = Math.max(max, i - j + 1);
    if (times[i]! - times[0]! >= windowMs) inside.push(i - j + 1);
  }
  return { max, meanInside: inside.reduce((a, b) => a + b, 0) / inside.length };
}

describe('the per-account quota under a scaled clock', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    // one sandbox hour lasts 10 real seconds; the quota is 100 calls per (scaled) hour
    h = await startScaledSyncHarness(windowMs, quota);
  });
  afterAll(async () => h.close());

  it('never sends more than the quota in any rolling window, and uses at least 95 % of it under backlog', async () => {
    const account = await h.connectAccount();
    const canvas = await h.canvasWithAudience(account);
    await h.enter(canvas, account, syntheticUsers('q', 25_000));
    const started = Date.now();
    await h.drainUnderQuota(quota, windowMs, 120_000);

    const requests = h.sandbox.state.requests.filter(
      (r) => r.accountId === account.metaAccountId && r.action === 'add',
    );
    expect(requests).toHaveLength(250);
    expect(requests.filter((r) => r.status !== 200)).toEqual([]);
    const { max, meanInside } = windowCounts(requests.map((r) => r.at));
    expect(max).toBeLessThanOrEqual(quota);
    expect(meanInside).toBeGreaterThanOrEqual(0.95 * quota);
    // 250 requests at 100 per window cannot take less than about 2.4 windows
    expect(Date.now() - started).toBeGreaterThan(2.25 * windowMs);
    const usage = (await (
      await fetch(`${h.sandbox.url}/_sandbox/ad-accounts/${account.metaAccountId}/usage`)
    ).json()) as { quota: number };
    expect(usage.quota).toBe(quota);
  });
});
