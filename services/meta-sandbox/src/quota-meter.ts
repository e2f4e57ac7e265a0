import type { ScaledClock } from './clock.js';

const hourMs = 3_600_000;

export interface UsageSnapshot {
  calls: number;
  quota: number;
  percent: number;
  /** Sandbox milliseconds until the oldest call leaves the window. */
  resetInMs: number;
}

/** Counts custom_audience calls per ad account over a rolling (sandbox) hour. */
export class QuotaMeter {
  private readonly calls = new Map<string, number[]>();

  constructor(private readonly clock: ScaledClock) {}

  private window(accountId: string): number[] {
    let list = this.calls.get(accountId);
    if (!list) {
      list = [];
      this.calls.set(accountId, list);
    }
    const cutoff = this.clock.now() - hourMs;
    let drop = 0;
    while (drop < list.length && (list[drop] ?? 0) <= cutoff) drop += 1;
    if (drop > 0) list.splice(0, drop);
    return list;
  }

  /** Records a call when the quota allows it; returns false when the account is exhausted. */
  tryConsume(accountId: string, quota: number): boolean {
    const list = this.window(accountId);
    if (list.length >= quota) return false;
    list.push(this.clock.now());
    return true;
  }

  snapshot(accountId: string, quota: number): UsageSnapshot {
    const list = this.window(accountId);
    const oldest = list[0];
    return {
      calls: list.length,
      quota,
      percent: Math.min(100, Math.floor((list.length / Math.max(1, quota)) * 100)),
      resetInMs: oldest === undefined ? 0 : Math.max(0, oldest + hourMs - this.clock.now()),
    };
  }

  /**
   * Meta's usage headers. `estimated_time_to_regain_access` is in minutes; under a time scale it
   * is given in real minutes (a fraction), so clients wait the right wall-clock time.
   */
  headers(accountId: string, quota: number, exhausted: boolean): Record<string, string> {
    const usage = this.snapshot(accountId, quota);
    const realMinutes = exhausted ? this.clock.toRealMs(usage.resetInMs) / 60_000 : 0;
    const regain = this.clock.timeScale === 1 ? Math.ceil(realMinutes) : Number(realMinutes.toFixed(4));
    const percent = exhausted ? 100 : usage.percent;
    return {
      'x-business-use-case-usage': JSON.stringify({
        [accountId]: [
          {
            type: 'custom_audience',
            call_count: percent,
            total_cputime: 0,
            total_time: 0,
            estimated_time_to_regain_access: regain,
          },
        ],
      }),
      'x-ad-account-usage': JSON.stringify({
        acc_id_util_pct: percent,
        reset_time_duration: Math.ceil(this.clock.toRealMs(usage.resetInMs) / 1000),
        ads_api_access_tier: 'standard_access',
      }),
    };
  }

  reset(): void {
    this.calls.clear();
  }
}
