import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { graphApiSettings } from './config.js';

describe('META_GRAPH_VERSION', () => {
  const schema = z.object(graphApiSettings);
  it.each([
    [undefined, true],
    ['v25.0', true],
    ['v27.0', true],
    // expired at Meta (v24.0 on 2026-11-10): the process refuses to start
    ['v24.0', false],
    ['v23.0', false],
    ['25', false],
  ])('%s is accepted: %s', (version, accepted) => {
    expect(schema.safeParse(version === undefined ? {} : { META_GRAPH_VERSION: version }).success).toBe(accepted);
  });
});
