import Bottleneck from 'bottleneck';
import type { AccountUsage } from './usage-headers.js';

export interface AccountLimiterOptions {
  /** Calls allowed per window for this ad account. */
  quotaPerWindow: number;
  /** Length of the rolling window; Meta's is one hour. */
  windowMs: number;
  /** Share of the quota to use, leaving room for clock skew between us and Meta. */
  safety?: number;
  maxConcurrent?: number;
  /** No call before this time (ms since epoch): a previous owner's pacing or throttle. */
  notBefore?: number;
  now?: () => number;
}

/**
 * How much slower to go given Meta's usage report and the share of the quota our own calls
 * explain: usage beyond ours (another app on the account, or a quota set too high) shrinks
 * our share by as much. Our own calls near 100 % are the plan, not a reason to slow down.
 */
export function paceFactor(reportedPercent: number, ownPercent: number): number {
  const excess = reportedPercent - ownPercent;
  if (excess <= 5) return 1;
  return 1 / Math.max(0.05, 1 - excess / 100);
}

/**
 * Paces calls to one ad account so that no rolling window holds more than the quota:
 * calls start at least window / quota apart (bottleneck's minTime), go slower when Meta reports
 * usage our own calls do not explain, and stop altogether until the regain time Meta announces
 * on a throttle.
 */
export class AccountLimiter {
  private readonly bottleneck: Bottleneck;
  private readonly baseIntervalMs: number;
  private readonly now: () => number;
  private resumeTimer: NodeJS.Timeout | undefined;
  private pausedUntilMs = 0;
  private factor = 1;
  private readonly recent: number[] = [];
  private throttledMs = 0;

  constructor(private readonly options: AccountLimiterOptions) {
    const safety = options.safety ?? 0.97;
    this.baseIntervalMs = options.windowMs / Math.max(1, Math.floor(options.quotaPerWindow * safety));
    this.now = options.now ?? Date.now;
    this.bottleneck = new Bottleneck({ maxConcurrent: options.maxConcurrent ?? 8, minTime: this.baseIntervalMs });
    if (options.notBefore && options.notBefore > this.now()) this.pauseUntil(options.notBefore);
  }

  /** Milliseconds between call starts at the current pace. */
  get intervalMs(): number {
    return this.baseIntervalMs * this.factor;
  }

  get pausedUntil(): number {
    return this.pausedUntilMs;
  }

  /** Runs the call when the pace and any throttle allow it. */
  schedule<T>(call: () => Promise<T>): Promise<T> {
    return this.bottleneck.schedule(() => {
      const at = this.now();
      this.recent.push(at);
      this.trim(at);
      return call();
    });
  }

  /** Stops every call until the given time, as Meta asks on a throttle. */
  pauseUntil(untilMs: number): void {
    const now = this.now();
    if (untilMs <= now || untilMs <= this.pausedUntilMs) return;
    this.throttledMs += untilMs - Math.max(now, this.pausedUntilMs);
    this.pausedUntilMs = untilMs;
    clearTimeout(this.resumeTimer);
    void this.bottleneck.updateSettings({ reservoir: 0 });
    this.resumeTimer = setTimeout(() => {
      this.pausedUntilMs = 0;
      void this.bottleneck.updateSettings({ reservoir: null });
    }, untilMs - now);
    this.resumeTimer.unref();
  }

  /** Adapts the pace to Meta's usage report; a report of 100 % with a regain time pauses. */
  observeUsage(usage: AccountUsage): void {
    const factor = paceFactor(usage.percent, (this.usedInWindow() / this.options.quotaPerWindow) * 100);
    if (factor !== this.factor) {
      this.factor = factor;
      void this.bottleneck.updateSettings({ minTime: this.intervalMs });
    }
    if (usage.percent >= 100 && usage.regainAccessMs > 0) this.pauseUntil(this.now() + usage.regainAccessMs);
  }

  /** Calls started in the current rolling window. */
  usedInWindow(): number {
    this.trim(this.now());
    return this.recent.length;
  }

  get quotaPerWindow(): number {
    return this.options.quotaPerWindow;
  }

  /** Total milliseconds spent paused by throttles. */
  get throttledTotalMs(): number {
    return this.throttledMs;
  }

  /** Calls waiting for their turn. */
  queued(): number {
    return this.bottleneck.counts().QUEUED + this.bottleneck.counts().RECEIVED;
  }

  async stop(): Promise<void> {
    clearTimeout(this.resumeTimer);
    await this.bottleneck.stop({ dropWaitingJobs: true }).catch(() => undefined);
  }

  private trim(now: number): void {
    const cutoff = now - this.options.windowMs;
    let drop = 0;
    while (drop < this.recent.length && (this.recent[drop] ?? 0) <= cutoff) drop += 1;
    if (drop > 0) this.recent.splice(0, drop);
  }
}
