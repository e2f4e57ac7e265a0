import { flag, logSettings, port, positiveInt } from '@canvas/runtime';
import { z } from 'zod';

export const sandboxConfigSchema = z.object({
  SANDBOX_HOST: z.string().default('127.0.0.1'),
  SANDBOX_PORT: port(8090),
  /** The /_sandbox admin API; off unless enabled. */
  SANDBOX_ADMIN: flag(false),
  SANDBOX_TIME_SCALE: z.coerce.number().positive().default(1),
  SANDBOX_MIN_REMOVAL_SIZE: positiveInt(100),
  SANDBOX_QUOTA_BASE: positiveInt(190_000),
  SANDBOX_SEED: positiveInt(42),
  /** A JSON file that keeps accounts, tokens and audiences across restarts (empty: memory only). */
  SANDBOX_STATE_FILE: z.string().default(''),
  /** "ACCOUNT_ID:TOKEN" pairs created at start, for demos. */
  SANDBOX_SEED_ACCOUNTS: z.string().default(''),
  ...logSettings,
});

export type SandboxConfig = z.infer<typeof sandboxConfigSchema>;
