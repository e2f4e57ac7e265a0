import { defaultDatabaseUrl } from '@canvas/db';
import { defaultGraphVersion } from '@canvas/meta-graph';
import { list, logLevel, port, positiveInt } from '@canvas/runtime';
import { z } from 'zod';

export const apiConfigSchema = z.object({
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: port(8080),
  API_BODY_LIMIT_BYTES: positiveInt(1_048_576),
  DATABASE_URL: z.string().url().default(defaultDatabaseUrl),
  DATABASE_POOL_SIZE: positiveInt(10),
  TOKEN_ENCRYPTION_KEY: z.string().min(1, 'required: 32 random bytes, base64 (openssl rand -base64 32)'),
  TOKEN_ENCRYPTION_PREVIOUS_KEYS: list(''),
  META_GRAPH_URL: z.string().url().default('https://graph.facebook.com'),
  META_GRAPH_VERSION: z.string().regex(/^v\d+\.\d+$/).default(defaultGraphVersion),
  META_APP_ID: z.string().optional(),
  META_APP_SECRET: z.string().optional(),
  LOG_LEVEL: logLevel,
  LOG_FORMAT: z.enum(['json', 'pretty', 'auto']).default('auto'),
});

export type ApiConfig = z.infer<typeof apiConfigSchema>;
