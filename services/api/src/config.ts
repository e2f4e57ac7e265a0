import { defaultDatabaseUrl } from '@canvas/db';
import { graphApiSettings } from '@canvas/meta-graph';
import { logSettings, port, positiveInt, tokenKeySettings } from '@canvas/runtime';
import { z } from 'zod';

export const apiConfigSchema = z.object({
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: port(8080),
  API_BODY_LIMIT_BYTES: positiveInt(1_048_576),
  SEGMENT_ESTIMATE_SAMPLE: positiveInt(50_000),
  DATABASE_URL: z.string().url().default(defaultDatabaseUrl),
  DATABASE_POOL_SIZE: positiveInt(10),
  ...tokenKeySettings,
  ...graphApiSettings,
  ...logSettings,
});

export type ApiConfig = z.infer<typeof apiConfigSchema>;
