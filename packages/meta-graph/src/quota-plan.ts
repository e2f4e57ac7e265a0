import { bucketFor } from './limiter.js';

const hourMs = 3_600_000;

/** How the sync works an ad account: Meta's quota as the limiter applies it, and its batching. */
export interface SyncCapacity {
  quotaPerWindow: number;
  windowMs: number;
  /** Share of the quota the limiter's bucket refills (META_QUOTA_SAFETY). */
  safety: number;
  usersPerRequest: number;
  batchWindowMs: number;
  /** Slow-down Meta's usage headers asked for (1: none). */
  paceFactor: number;
}

/** Users and the requests they take, per hour. */
export interface HourlyLoad {
  usersPerHour: number;
  requestsPerHour: number;
}

export interface QuotaPlanInput {
  capacity: SyncCapacity;
  /** What the account's running canvases handed to the sync lately, per hour. */
  recent: HourlyLoad;
  /** A draft to add (from its dry run): its mean hour and its busiest hour. */
  draft?: { mean: HourlyLoad; peak: HourlyLoad } | undefined;
  /** Users pending now, the requests they need, and how long the longest-waiting has waited. */
  backlog: { users: number; requests: number; oldestWaitMs: number };
  /** How long the sync keeps trying a user (AUDIENCE_RETRY_WINDOW, 13 h). */
  retryWindowMs: number;
  /** Share of the retry window a wait may reach before users count as at risk (default 0.8). */
  riskShare?: number;
}

export interface QuotaPlan {
  /** Requests an hour the limiter sustains: its bucket's refill at the current pace. */
  capacityPerHour: number;
  /** Recent load plus the draft's mean hour. */
  forecast: HourlyLoad & {
    /** Forecast requests ÷ capacity: at or above 1 the backlog grows without end. */
    utilisation: number;
    /** The same with the draft's busiest hour instead of its mean. */
    peakUtilisation: number;
  };
  /** Seconds until today's pending users are all sent, with the forecast load on top; null: never. */
  drainSeconds: number | null;
  /** How long a user handed to the sync now would wait to be sent; null when it grows without end. */
  projectedDelaySeconds: number | null;
  /** How long users handed off in the draft's busiest hour would wait at worst. */
  peakDelaySeconds: number | null;
  /**
   * Whether users would wait past `riskShare` of the retry window (beyond it they end Errored,
   * RETRY_WINDOW_OVER): the forecast is an estimate, and a user that close is lost to any hiccup.
   */
  retryLimitAtRisk: boolean;
  /** Past the quota: hours until a user handed off then would wait `riskShare` of the retry window. */
  hoursUntilRetryLimit: number | null;
}

/** Requests an hour the limiter sustains: its bucket's refill per window, slower by the pace factor. */
export function sustainedRequestsPerHour(capacity: SyncCapacity): number {
  const perWindow = bucketFor(capacity.quotaPerWindow, capacity.safety).perWindow;
  return (perWindow * (hourMs / capacity.windowMs)) / Math.max(1, capacity.paceFactor);
}

/**
 * Forecasts one ad account's sync from what it carries and Meta's quota for it. The limiter
 * refills `bucketFor(quota, safety).perWindow` calls per window (slower by the pace factor), so
 * that is what the account sustains. A backlog drains at what the forecast load leaves of it; a
 * user handed off now waits for the backlog ahead (in its step's order) and half a batch window.
 * Past full use the backlog only grows, and the wait with it, until it passes the retry window.
 */
export function planQuota(input: QuotaPlanInput): QuotaPlan {
  const { capacity, recent, draft, backlog, retryWindowMs } = input;
  const capacityPerHour = sustainedRequestsPerHour(capacity);
  const usersPerHour = recent.usersPerHour + (draft?.mean.usersPerHour ?? 0);
  const requestsPerHour = recent.requestsPerHour + (draft?.mean.requestsPerHour ?? 0);
  const peakRequestsPerHour = recent.requestsPerHour + (draft?.peak.requestsPerHour ?? 0);
  const spare = capacityPerHour - requestsPerHour;
  const halfWindowSeconds = capacity.batchWindowMs / 2000;
  const drainHours = spare > 0 ? backlog.requests / spare : null;
  const drainSeconds = drainHours === null ? null : drainHours * 3600;
  const projectedDelaySeconds = drainSeconds === null ? null : drainSeconds + halfWindowSeconds;
  // the busiest hour leaves (peak − capacity) requests behind, worked off at what the mean leaves spare
  const peakBacklog = Math.max(0, peakRequestsPerHour - capacityPerHour);
  const peakDelaySeconds = spare > 0 ? ((backlog.requests + peakBacklog) / spare) * 3600 + halfWindowSeconds : null;
  const riskMs = retryWindowMs * (input.riskShare ?? 0.8);
  const riskHours = riskMs / hourMs;
  let hoursUntilRetryLimit: number | null = null;
  if (spare <= 0) {
    // the backlog grows by −spare requests an hour; a user waits for it at full capacity
    hoursUntilRetryLimit = spare === 0 ? null : Math.max(0, (riskHours * capacityPerHour - backlog.requests) / -spare);
  }
  const tooLong = (seconds: number | null) => seconds === null || seconds * 1000 >= riskMs;
  const retryLimitAtRisk =
    spare <= 0 ||
    tooLong(projectedDelaySeconds) ||
    tooLong(peakDelaySeconds) ||
    (backlog.users > 0 &&
      tooLong(projectedDelaySeconds === null ? null : projectedDelaySeconds + backlog.oldestWaitMs / 1000));
  return {
    capacityPerHour,
    forecast: {
      usersPerHour,
      requestsPerHour,
      utilisation: requestsPerHour / capacityPerHour,
      peakUtilisation: peakRequestsPerHour / capacityPerHour,
    },
    drainSeconds,
    projectedDelaySeconds,
    peakDelaySeconds,
    retryLimitAtRisk,
    hoursUntilRetryLimit,
  };
}
