/** How dry runs are bounded: per API process, per workspace, per page. */
export interface DryRunSettings {
  /** Runs one API process works on at once. */
  concurrency: number;
  /** Runs a workspace may have queued or running at once (then 429 DRY_RUN_BUSY). */
  perWorkspace: number;
  /** History rows a workspace's dry runs may read in 24 hours (then 429 DRY_RUN_BUDGET_EXCEEDED). */
  dailyHistoryRows: number;
  /** Profiles per page: what a run replays between two progress reports; it holds two pages' users in memory. */
  pageUsers: number;
  /** Profiles per range: each range's history is one sorted read in PostgreSQL, streamed a page at a time. */
  rangeUsers: number;
  /** The longest window a run may replay. */
  maxWindowDays: number;
  /** How often an idle worker looks for queued runs (a run asked of this process wakes it at once). */
  pollIntervalMs: number;
  /** A running run whose worker has not reported for this long is taken over by another. */
  staleAfterMs: number;
}

export const defaultDryRunSettings: DryRunSettings = {
  concurrency: 1,
  perWorkspace: 1,
  dailyHistoryRows: 50_000_000,
  pageUsers: 5000,
  rangeUsers: 250_000,
  maxWindowDays: 31,
  pollIntervalMs: 5000,
  staleAfterMs: 60_000,
};
