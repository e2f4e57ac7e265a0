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
 * The bucket: refilled at the safety share of the quota, with a burst taken from the headroom
 * above that share (1 to 100 calls), so a rolling window never holds more than quota − 1 calls
 * while a window's small batches still leave together and timer jitter costs nothing.
 */
export function bucketFor(quota: number, safety: number): { burst: number; perWindow: number } {
  const share = Math.max(1, Math.floor(quota * safety));
  const burst = Math.max(1, Math.min(100, quota - share - 1));
  return { burst, perWindow: Math.max(1, Math.min(share, quota - burst)) };
}

/**
 * Keeps calls to one ad account under Meta's quota in every rolling window: a token bucket
 * (see bucketFor), so no window sees more than the quota while a backlog uses nearly all of
 * it. It slows
 * down when Meta reports usage our own calls do not explain, and stops altogether until the
 * regain time Meta announces on a throttle. Bottleneck bounds the calls in flight.
 */
export class AccountLimiter {
  private readonly bottleneck: Bottleneck;
  private readonly now: () => number;
  private readonly burst: number;
  private readonly baseRatePerMs: number;
  private tokens: number;
  private refilledAt: number;
  private factor = 1;
  private pausedUntilMs = 0;
  private gate: Promise<void> = Promise.resolve();
  private waiting = 0;
  private stopped = false;
  private readonly recent: number[] = [];
  private throttledMs = 0;

  constructor(private readonly options: AccountLimiterOptions) {
    const bucket = bucketFor(options.quotaPerWindow, options.safety ?? 0.97);
    this.burst = bucket.burst;
    this.baseRatePerMs = bucket.perWindow / options.windowMs;
    this.now = options.now ?? Date.now;
    // a new owner starts with an empty bucket: the previous owner may have used the burst
    this.tokens = 0;
    this.refilledAt = this.now();
    this.bottleneck = new Bottleneck({ maxConcurrent: options.maxConcurrent ?? 8 });
  }

  /** Milliseconds between calls at the current sustained pace. */
  get intervalMs(): number {
    return this.factor / this.baseRatePerMs;
  }

  /** How much slower than the quota Meta's usage reports make it go (1: at the quota's pace). */
  get pace(): number {
    return this.factor;
  }

  get pausedUntil(): number {
    return this.pausedUntilMs;
  }

  /** Runs the call when the bucket, any throttle and the concurrency limit allow it. */
  schedule<T>(call: () => Promise<T>): Promise<T> {
    this.waiting += 1;
    const turn = this.gate.then(() => this.takeToken());
    // calls take tokens one after another, in the order they asked
    this.gate = turn.catch(() => undefined);
    return turn.then(
      () => {
        this.waiting -= 1;
        return this.bottleneck.schedule(() => {
          const at = this.now();
          this.recent.push(at);
          this.trim(at);
          return call();
        });
      },
      (error: unknown) => {
        this.waiting -= 1;
        throw error;
      },
    );
  }

  private refill(at: number): void {
    const rate = this.baseRatePerMs / this.factor;
    this.tokens = Math.min(this.burst, this.tokens + (at - this.refilledAt) * rate);
    this.refilledAt = at;
  }

  private async takeToken(): Promise<void> {
    for (;;) {
      if (this.stopped) throw new Error('limiter stopped');
      const at = this.now();
      if (at < this.pausedUntilMs) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, this.pausedUntilMs - at)));
        continue;
      }
      this.refill(at);
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil((1 - this.tokens) * (this.factor / this.baseRatePerMs));
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, Math.max(1, waitMs))));
    }
  }

  /** Stops every call until the given time, as Meta asks on a throttle. */
  pauseUntil(untilMs: number): void {
    const now = this.now();
    if (untilMs <= now || untilMs <= this.pausedUntilMs) return;
    this.throttledMs += untilMs - Math.max(now, this.pausedUntilMs);
    this.pausedUntilMs = untilMs;
    // whatever built up before the throttle is not ours to spend after it
    this.tokens = Math.min(this.tokens, 0);
  }

  /** Adapts the pace to Meta's usage report; a report of 100 % with a regain time pauses. */
  observeUsage(usage: AccountUsage): void {
    this.refill(this.now());
    this.factor = paceFactor(usage.percent, (this.usedInWindow() / this.options.quotaPerWindow) * 100);
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
    return this.waiting + this.bottleneck.counts().QUEUED + this.bottleneck.counts().RECEIVED;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.bottleneck.stop({ dropWaitingJobs: true }).catch(() => undefined);
  }

  private trim(now: number): void {
    const cutoff = now - this.options.windowMs;
    let drop = 0;
    while (drop < this.recent.length && (this.recent[drop] ?? 0) <= cutoff) drop += 1;
    if (drop > 0) this.recent.splice(0, drop);
  }
}
