import type { Db } from '@canvas/db';
import type { AdAccountDirectory } from '@canvas/meta-graph';
import type { Logger, Registry, TokenCipher } from '@canvas/runtime';
import type { DryRunSettings } from './dry-run-settings.js';
import type { ExpensiveWorkLimits } from './expensive-work.js';
import type { SegmentBudget } from './segment-budget.js';

/** Everything the API needs, built by main.ts (or a test) and handed in. */
export interface ApiDeps {
  db: Db;
  directory: AdAccountDirectory;
  cipher: TokenCipher;
  logger: Logger;
  registry: Registry;
  now: () => Date;
  /** The Marketing API version the services call (META_GRAPH_VERSION); defaults to the tested one. */
  graphVersion?: string;
  bodyLimitBytes?: number;
  /** How old the canvas counters on /metrics may be: one read serves every scrape in that time. */
  metricsMaxAgeMs?: number;
  /** Profiles a segment estimate samples; workspaces up to twice this are counted exactly. */
  estimateSampleSize?: number;
  /** How long an estimate (and any one statement of it) may run before it answers ESTIMATE_TOO_COSTLY. */
  estimateTimeoutMs?: number;
  /** Expensive operations (estimates, bulk erasures) at once: per workspace and in all. */
  expensiveWork?: ExpensiveWorkLimits;
  /** Conditions and listed values one segment may hold. */
  segmentBudget?: SegmentBudget;
  /** Facebook Login, when the Meta app is configured: app credentials, the dialog, the callback. */
  facebookLogin?: FacebookLoginSettings | undefined;
  /** Erasures: how long their removals are retried, and how long an erased user's events are skipped. */
  erasure?: { retryWindowMs: number; suppressionMs: number };
  /** Re-drives: the fresh retry window each re-sent user gets (AUDIENCE_RETRY_WINDOW). */
  redrive?: { retryWindowMs: number };
  /** Dry runs: this process's worker (concurrency 0: none here), each workspace's share, page size, window. */
  dryRun?: Partial<DryRunSettings>;
}

export interface FacebookLoginSettings {
  appId: string;
  appSecret: string;
  /** e.g. https://www.facebook.com/v25.0/dialog/oauth */
  dialogUrl: string;
  /** The API's callback, exactly as registered in the Meta app. */
  redirectUri: string;
  returnUrl?: string | undefined;
}
