import { describe, expect, it } from '@jest/globals';
import { runChecks } from './health.js';

describe('runChecks', () => {
  it('reports each check by a stable status and hands a failure to the sink, never into the report', async () => {
    const failures: [string, unknown][] = [];
    const report = await runChecks(
      [
        { name: 'up', check: async () => true },
        { name: 'starting', check: async () => false },
        { name: 'slow', check: () => new Promise<boolean>(() => undefined) },
        { name: 'down', check: async () => Promise.reject(new Error('password authentication failed for user "x"')) },
      ],
      50,
      (name, error) => failures.push([name, error]),
    );
    expect(report).toEqual({
      status: 'unavailable',
      checks: { up: 'ok', starting: 'not_ready', slow: 'timeout', down: 'failed' },
    });
    expect(failures.map(([name]) => name)).toEqual(['down']);
  });
});
