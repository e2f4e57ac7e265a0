/** An ad account's quota plan as GET /v1/ad-accounts/{id}/quota-plan answers it (the fields the console reads). */
export interface QuotaPlan {
  adAccountId: string;
  quota: { perWindow: number; windowSeconds: number; capacityPerHour: number; source: 'sync' | 'formula' };
  recent: { hours: number; usersPerHour: number; requestsPerHour: number; canvases: { canvasId: string }[] };
  draft: { dryRunId: string; version: number; usersPerHour: number; requestsPerHour: number } | null;
  backlog: { users: number; requests: number; oldestWaitSeconds: number };
  forecast: { usersPerHour: number; requestsPerHour: number; utilisation: number; peakUtilisation: number };
  drainSeconds: number | null;
  projectedDelaySeconds: number | null;
  peakDelaySeconds: number | null;
  retryWindowSeconds: number;
  retryLimitAtRisk: boolean;
  hoursUntilRetryLimit: number | null;
}

// a trickle is not nothing: below one an hour says so
export const whole = (n: number) => (n > 0 && n < 0.5 ? 'under 1' : Math.round(n).toLocaleString());

/** A share of the quota as people write it: 12 %, 1,250 %. */
export const percent = (share: number) =>
  `${(share * 100).toLocaleString(undefined, { maximumFractionDigits: share < 0.1 ? 1 : 0 })} %`;

/** A wait in the words a person uses (after "waits"). */
export function duration(seconds: number | null): string {
  if (seconds === null) return 'longer and longer (the load is above the quota)';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toLocaleString(undefined, { maximumFractionDigits: 1 })} h`;
}

/** The retry limit's risk in one sentence. */
export const riskText = (plan: QuotaPlan, lead = 'Users') =>
  `${lead} would risk the ${duration(plan.retryWindowSeconds)} retry limit: past it they end Errored ` +
  '(RETRY_WINDOW_OVER).' +
  (plan.hoursUntilRetryLimit === null
    ? ''
    : ` At this load a user would wait that long in ${plan.hoursUntilRetryLimit.toFixed(1)} h.`);

/** The longest wait, after "a user waits". */
export const upTo = (seconds: number | null) => (seconds === null ? duration(null) : `up to ${duration(seconds)}`);
