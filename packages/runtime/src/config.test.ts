import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import {
  ConfigError,
  duration,
  flag,
  loadConfig,
  parseDuration,
  port,
  refusePublishedTokenKey,
  tokenKeySettings,
} from './config.js';

const schema = z.object({
  PORT: port(8080),
  BATCH_WINDOW: duration('5s'),
  ENABLED: flag(false),
  DATABASE_URL: z.string().url(),
});

describe('loadConfig', () => {
  it('applies defaults and parses durations and flags', () => {
    const config = loadConfig(schema, { DATABASE_URL: 'postgres://x@127.0.0.1/db', ENABLED: 'yes' });
    expect(config).toEqual({
      PORT: 8080,
      BATCH_WINDOW: 5000,
      ENABLED: true,
      DATABASE_URL: 'postgres://x@127.0.0.1/db',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lists every bad key in one error', () => {
    let caught: unknown;
    try {
      loadConfig(schema, { PORT: 'eighty', BATCH_WINDOW: 'soon', ENABLED: 'maybe' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(problems.sort()).toEqual(['BATCH_WINDOW', 'DATABASE_URL', 'ENABLED', 'PORT']);
  });
});

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['5s', 5000],
    ['13h', 46_800_000],
    ['1.5m', 90_000],
    ['42', 42],
    ['soon', undefined],
  ])('reads %s as %s ms', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });
});

describe('the token key', () => {
  const keys = z.object(tokenKeySettings);
  const published = 'c2V0LWEtcmVhbC1rZXktd2l0aC1vcGVuc3NsLXJhbmQ=';

  it('refuses the key docker-compose once fell back to, naming the setting', () => {
    const config = loadConfig(keys, { TOKEN_ENCRYPTION_KEY: published });
    expect(() => refusePublishedTokenKey(config)).toThrow(/TOKEN_ENCRYPTION_KEY: this key is published/);
  });

  it('takes it only with the demo flag, and takes any other key', () => {
    const demo = loadConfig(keys, { TOKEN_ENCRYPTION_KEY: published, TOKEN_ENCRYPTION_ALLOW_PUBLISHED_KEY: 'true' });
    expect(() => refusePublishedTokenKey(demo)).not.toThrow();
    const own = loadConfig(keys, { TOKEN_ENCRYPTION_KEY: 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=' });
    expect(() => refusePublishedTokenKey(own)).not.toThrow();
  });
});
