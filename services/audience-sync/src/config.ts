import { defaultDatabaseUrl } from '@canvas/db';
import { graphApiSettings } from '@canvas/meta-graph';
import { duration, logSettings, port, positiveInt, tokenKeySettings } from '@canvas/runtime';
import { z } from 'zod';

export const syncConfigSchema = z.object({
  DATABASE_URL: z.string().url().default(defaultDatabaseUrl),
  DATABASE_POOL_SIZE: positiveInt(8),
  ...tokenKeySettings,
  ...graphApiSettings,
  META_REQUEST_TIMEOUT: duration('60s'),
  /** Calls per window per ad account; "auto" is Meta's 190,000 + 40 × audiences, capped at 700,000. */
  META_QUOTA_PER_HOUR: z.union([z.literal('auto'), z.coerce.number().int().positive()]).default('auto'),
  /** The quota's rolling window; one hour at Meta, shorter only for tests with a scaled sandbox. */
  META_QUOTA_WINDOW: duration('1h'),
  META_QUOTA_SAFETY: z.coerce.number().min(0.5).max(1).default(0.97),
  META_MAX_CONCURRENT_REQUESTS: positiveInt(4),
  META_DEFAULT_THROTTLE_WAIT: duration('60s'),
  SYNC_BATCH_WINDOW: duration('5s'),
  SYNC_MAX_USERS_PER_REQUEST: z.coerce.number().int().min(1).max(10_000).default(10_000),
  SYNC_RETRY_MIN_DELAY: duration('30s'),
  SYNC_RETRY_MAX_DELAY: duration('30m'),
  /** How long to hold a removal Meta refused because the audience is too small. */
  SYNC_TOO_SMALL_RETRY_INTERVAL: duration('1h'),
  /** How long users wait on a disconnected account (or unaccepted terms) before they are Errored. */
  SYNC_CREDENTIAL_HOLD_LIMIT: duration('30d'),
  /** How often each connected token is checked with Meta's debug_token. */
  SYNC_TOKEN_CHECK_INTERVAL: duration('1h'),
  SYNC_OWNERSHIP_INTERVAL: duration('5s'),
  /** How often the reconciliation watch checks each owned account's Facebook steps (decision 37). */
  SYNC_WATCH_INTERVAL: duration('3m'),
  /** How long a read of an audience's approximate size serves before Meta is asked again. */
  SYNC_WATCH_AUDIENCE_INTERVAL: duration('1h'),
  /** Audience sizes read per watch round and account, at most (0: none). */
  SYNC_WATCH_AUDIENCE_READS: z.coerce.number().int().min(0).max(100).default(5),
  /** Meta's count below this share of the users synced in (less removed) is a shortfall; 0 turns that off. */
  SYNC_WATCH_MIN_MATCH_RATE: z.coerce.number().min(0).max(1).default(0.1),
  /** How often each lookalike is looked at: its source's size until it is created, then Meta's status. */
  SYNC_LOOKALIKE_INTERVAL: duration('5m'),
  /** The source size (approximate_count_lower_bound) from which a lookalike is created; Meta's minimum is 100. */
  SYNC_LOOKALIKE_MIN_SOURCE: positiveInt(100),
  /** How often a resync reads its replace session after the last batch. */
  SYNC_RESYNC_POLL_INTERVAL: duration('30s'),
  /** How long Meta may take to report a replace session finished before the resync is unconfirmed. */
  SYNC_RESYNC_CONFIRM_TIMEOUT: duration('30m'),
  /** Replace sessions one resync may start (Meta closed or refused the earlier ones) before it fails. */
  SYNC_RESYNC_MAX_SESSIONS: positiveInt(3),
  /** Refused attempts in a row (throttles not counted) before a resync fails. */
  SYNC_RESYNC_MAX_ATTEMPTS: positiveInt(20),
  /** Name in logs and in the user agent, to tell replicas apart. */
  SYNC_REPLICA_NAME: z.string().min(1).max(100).optional(),
  OPS_HOST: z.string().default('127.0.0.1'),
  OPS_PORT: port(9102),
  ...logSettings,
});

export type SyncConfig = z.infer<typeof syncConfigSchema>;
