import { defaultDatabaseUrl } from '@canvas/db';
import { graphApiSettings } from '@canvas/meta-graph';
import { duration, logSettings, port, positiveInt, tokenKeySettings } from '@canvas/runtime';
import { z } from 'zod';

export const apiConfigSchema = z.object({
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: port(8080),
  API_BODY_LIMIT_BYTES: positiveInt(1_048_576),
  SEGMENT_ESTIMATE_SAMPLE: positiveInt(50_000),
  /** How long the sync keeps trying an erasure's removals (as for any hand-off). */
  AUDIENCE_RETRY_WINDOW: duration('13h'),
  /** How long the runner skips an erased user's events (those already in Kafka, and any sent later). */
  ERASURE_SUPPRESSION: duration('30d'),
  DATABASE_URL: z.string().url().default(defaultDatabaseUrl),
  DATABASE_POOL_SIZE: positiveInt(10),
  ...tokenKeySettings,
  ...graphApiSettings,
  ...logSettings,
});

export type ApiConfig = z.infer<typeof apiConfigSchema>;
