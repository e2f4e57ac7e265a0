import { z } from 'zod';
import { CanvasError } from './errors.js';

/** Thrown at start-up when the environment does not describe a valid configuration. */
export class ConfigError extends CanvasError {
  constructor(readonly problems: readonly string[]) {
    super('CONFIG_INVALID', `invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses environment variables once with a zod object schema whose keys are the variable
 * names. Every bad key is reported in one error; the result is frozen.
 * @example const config = loadConfig(z.object({ PORT: port(8080) }), process.env);
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
): Readonly<z.infer<S>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  return Object.freeze(result.data);
}

/** A TCP port with a default. */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** A positive integer with a default. */
export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** A boolean written as true/false/1/0/yes/no. */
export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses "250ms", "5s", "13h", "2d" or a bare number of milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * (units[match[2] ?? 'ms'] ?? 1));
}

/** A duration in milliseconds, written like "5s" or "13h". */
export const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration such as 500ms, 5s, 13h` });
        return z.NEVER;
      }
      return ms;
    });

/** A comma-separated list of non-empty strings. */
export const list = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text) =>
      text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    );

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** How a process logs; every service reads these. */
export const logSettings = {
  LOG_LEVEL: logLevel,
  LOG_FORMAT: z.enum(['json', 'pretty', 'auto']).default('auto'),
};

/** The key access tokens are encrypted with, and older keys still read after a rotation. */
export const tokenKeySettings = {
  TOKEN_ENCRYPTION_KEY: z
    .string()
    .min(1, 'required: 32 random bytes, base64 (openssl rand -base64 32), the same in the API and the sync'),
  TOKEN_ENCRYPTION_PREVIOUS_KEYS: list(''),
  /** Lets a throw-away demo run with a key published in this repository; never in production. */
  TOKEN_ENCRYPTION_ALLOW_PUBLISHED_KEY: flag(false),
};

// keys ever written in this repository (docker-compose's old fallback): anyone can read tokens sealed with them
const publishedKeys = new Set(['c2V0LWEtcmVhbC1rZXktd2l0aC1vcGVuc3NsLXJhbmQ=']);

/**
 * Refuses, at start-up, a token key published in this repository unless the demo flag says so.
 * @example refusePublishedTokenKey(loadConfig(apiConfigSchema, process.env));
 */
export function refusePublishedTokenKey(config: {
  TOKEN_ENCRYPTION_KEY: string;
  TOKEN_ENCRYPTION_ALLOW_PUBLISHED_KEY: boolean;
}): void {
  const decoded = Buffer.from(config.TOKEN_ENCRYPTION_KEY, 'base64').toString('base64');
  if (publishedKeys.has(decoded) && !config.TOKEN_ENCRYPTION_ALLOW_PUBLISHED_KEY)
    throw new ConfigError([
      'TOKEN_ENCRYPTION_KEY: this key is published in the repository, so anyone could read the stored tokens; ' +
        'set your own (openssl rand -base64 32), or TOKEN_ENCRYPTION_ALLOW_PUBLISHED_KEY=true for a throw-away demo',
    ]);
}
