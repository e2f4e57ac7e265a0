import { defaultDatabaseUrl } from '@canvas/db';
import { graphApiSettings } from '@canvas/meta-graph';
import { duration, logSettings, port, positiveInt, tokenKeySettings } from '@canvas/runtime';
import { z } from 'zod';

export const apiConfigSchema = z
  .object({
    API_HOST: z.string().default('127.0.0.1'),
    API_PORT: port(8080),
    API_BODY_LIMIT_BYTES: positiveInt(1_048_576),
    /** The ops listener: /healthz, /readyz and /metrics (every workspace's canvases), never public. */
    OPS_HOST: z.string().default('127.0.0.1'),
    OPS_PORT: port(9103),
    /** How old the canvas counters on /metrics may be; one database read serves every scrape in it. */
    METRICS_MAX_AGE: duration('15s'),
    SEGMENT_ESTIMATE_SAMPLE: positiveInt(20_000),
    /** How long an estimate, and any one statement of it, may run (then 422 ESTIMATE_TOO_COSTLY). */
    ESTIMATE_TIMEOUT: duration('15s'),
    /** Expensive operations (estimates, bulk erasures) one workspace may run at once (then 429). */
    EXPENSIVE_PER_WORKSPACE: positiveInt(2),
    /** Expensive operations all workspaces may run at once (then 503); below DATABASE_POOL_SIZE. */
    EXPENSIVE_TOTAL: positiveInt(3),
    /** A segment's budget: conditions (property tests in behaviours included), and listed values. */
    SEGMENT_MAX_CONDITIONS: positiveInt(100),
    SEGMENT_MAX_VALUES: positiveInt(2000),
    /** How long the sync keeps trying a hand-off: erasures' removals, and the quota planner's retry window. */
    AUDIENCE_RETRY_WINDOW: duration('13h'),
    /** Dry runs this API process works on at once (0: none here; other replicas take them). */
    DRY_RUN_CONCURRENCY: z.coerce.number().int().min(0).max(8).default(1),
    /** Dry runs one workspace may have queued or running at once (then 429 DRY_RUN_BUSY). */
    DRY_RUN_PER_WORKSPACE: positiveInt(1),
    /** History rows one workspace's dry runs may read in 24 hours (then 429 DRY_RUN_BUDGET_EXCEEDED). */
    DRY_RUN_DAILY_HISTORY_ROWS: positiveInt(50_000_000),
    /** Profiles per page of a dry run: what it holds in memory at once, with their events. */
    DRY_RUN_PAGE_USERS: positiveInt(5000),
    DRY_RUN_RANGE_USERS: positiveInt(250_000),
    /** The longest window a dry run replays. */
    DRY_RUN_MAX_WINDOW: duration('31d'),
    /** How long the runner skips an erased user's events (those already in Kafka, and any sent later). */
    ERASURE_SUPPRESSION: duration('30d'),
    /**
     * Facebook Login: where Meta's dialog lives, and the callback registered in the Meta app
     * (Valid OAuth Redirect URIs).
     */
    FACEBOOK_LOGIN_DIALOG_URL: z.string().url().default('https://www.facebook.com'),
    FACEBOOK_LOGIN_REDIRECT_URI: z.string().url().optional(),
    /**
     * Where the callback sends the browser afterwards, with ?facebookLogin=<id>; unset: a short page
     * says what to do next.
     */
    FACEBOOK_LOGIN_RETURN_URL: z.string().url().optional(),
    DATABASE_URL: z.string().url().default(defaultDatabaseUrl),
    DATABASE_POOL_SIZE: positiveInt(10),
    ...tokenKeySettings,
    ...graphApiSettings,
    ...logSettings,
  })
  // cheap requests always find a pooled connection, however many estimates run
  .refine((c) => c.EXPENSIVE_TOTAL < c.DATABASE_POOL_SIZE, {
    path: ['EXPENSIVE_TOTAL'],
    message: 'must be below DATABASE_POOL_SIZE, so cheap requests always find a connection',
  });

export type ApiConfig = z.infer<typeof apiConfigSchema>;
