import { describe, expect, it } from '@jest/globals';
import { planQuota, type QuotaPlanInput } from './quota-plan.js';

const hour = 3_600_000;
const meta = {
  quotaPerWindow: 190_000,
  windowMs: hour,
  safety: 0.97,
  usersPerRequest: 10_000,
  batchWindowMs: 5000,
  paceFactor: 1,
};
const idle = { usersPerHour: 0, requestsPerHour: 0 };
const noBacklog = { users: 0, requests: 0, oldestWaitMs: 0 };
const plan = (input: Partial<QuotaPlanInput>) =>
  planQuota({ capacity: meta, recent: idle, backlog: noBacklog, retryWindowMs: 13 * hour, ...input });

describe('planQuota', () => {
  it("sustains the limiter's refill: 97 % of Meta's 190,000 an hour, less the burst", () => {
    const p = plan({});
    expect(p.capacityPerHour).toBe(184_300);
    expect(p.projectedDelaySeconds).toBe(2.5);
    expect(p.retryLimitAtRisk).toBe(false);
  });

  it.each([
    // quota, window, backlog requests, recent requests/h, expected drain seconds
    [40, 60_000, 20, 0, (20 / 2280) * 3600],
    [40, 60_000, 20, 1140, (20 / 1140) * 3600],
    [190_000, hour, 20, 0, (20 / 184_300) * 3600],
  ])(
    'drains a backlog at what the load leaves of the quota (%i per %i ms, %i requests, %i/h)',
    (quota, windowMs, requests, load, seconds) => {
      const p = plan({
        capacity: { ...meta, quotaPerWindow: quota, windowMs },
        recent: { usersPerHour: load * 100, requestsPerHour: load },
        backlog: { users: requests * 10_000, requests, oldestWaitMs: 0 },
      });
      expect(p.drainSeconds).toBeCloseTo(seconds, 6);
      expect(p.retryLimitAtRisk).toBe(false);
    },
  );

  it('sees the backlog grow without end past the quota, and says when users reach the retry window', () => {
    const p = plan({
      recent: { usersPerHour: 2e9, requestsPerHour: 200_000 },
      backlog: { users: 1e6, requests: 100, oldestWaitMs: 0 },
    });
    expect(p.forecast.utilisation).toBeGreaterThan(1);
    expect(p.drainSeconds).toBeNull();
    expect(p.projectedDelaySeconds).toBeNull();
    expect(p.retryLimitAtRisk).toBe(true);
    // until a user would wait 80 % of the 13-hour window
    expect(p.hoursUntilRetryLimit).toBeCloseTo((0.8 * 13 * 184_300 - 100) / 15_700, 6);
  });

  it("adds a draft's mean hour to the load and its busiest hour to the worst wait", () => {
    const recent = { usersPerHour: 1e8, requestsPerHour: 100_000 };
    const calm = plan({
      recent,
      draft: {
        mean: { usersPerHour: 1e6, requestsPerHour: 10_000 },
        peak: { usersPerHour: 1e9, requestsPerHour: 200_000 },
      },
    });
    expect(calm.forecast.requestsPerHour).toBe(110_000);
    expect(calm.forecast.peakUtilisation).toBeCloseTo(300_000 / 184_300, 6);
    expect(calm.peakDelaySeconds!).toBeCloseTo(((300_000 - 184_300) / 74_300) * 3600 + 2.5, 6);
    expect(calm.retryLimitAtRisk).toBe(false);
    const burst = plan({
      recent,
      draft: {
        mean: { usersPerHour: 1e6, requestsPerHour: 10_000 },
        peak: { usersPerHour: 1e10, requestsPerHour: 1_200_000 },
      },
    });
    expect(burst.retryLimitAtRisk).toBe(true);
    expect(burst.projectedDelaySeconds! < 13 * 3600).toBe(true);
  });

  it('goes slower when Meta reports usage our calls do not explain', () => {
    expect(plan({ capacity: { ...meta, paceFactor: 2 } }).capacityPerHour).toBe(92_150);
  });

  it('counts users already waiting most of the retry window as at risk', () => {
    const p = plan({ backlog: { users: 5, requests: 1, oldestWaitMs: 11 * hour } });
    expect(p.projectedDelaySeconds).toBeLessThan(5);
    expect(p.retryLimitAtRisk).toBe(true);
    expect(plan({ backlog: { users: 5, requests: 1, oldestWaitMs: 10 * hour } }).retryLimitAtRisk).toBe(false);
  });
});
