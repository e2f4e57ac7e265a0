import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createWorkspaceWithKey } from '@canvas/api';
import { startApiHarness, waitFor, type ApiHarness } from '@canvas/test-support';

const segment = (conditions: unknown) => ({ name: 'Pro plan', conditions });
const proPlan = segment({ profile: { field: 'traits.plan', op: 'eq', value: 'pro' } });
const timeoutMs = 3000;

describe('expensive operations: cost limits that keep one workspace from stopping the others', () => {
  let h: ApiHarness;
  let locker: pg.Client;
  beforeAll(async () => {
    h = await startApiHarness({
      estimateTimeoutMs: timeoutMs,
      expensiveWork: { perWorkspace: 1, total: 2, retryAfterSeconds: 7 },
    });
    locker = new pg.Client({ connectionString: h.database.url });
    await locker.connect();
  });
  afterAll(async () => {
    await locker.end();
    await h.close();
  });

  /** Holds user_profiles locked, so an estimate started now waits on it (an estimate in progress). */
  const lockProfiles = async () => {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE user_profiles IN ACCESS EXCLUSIVE MODE');
    return async () => void (await locker.query('COMMIT'));
  };
  const waitingOnTheLock = (n: number) =>
    waitFor(
      async () => {
        // the locker is inside a transaction, where pg_stat_activity is a snapshot until cleared
        await locker.query('SELECT pg_stat_clear_snapshot()');
        const { rows } = await locker.query<{ n: string }>(
          "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        return Number(rows[0]!.n) >= n;
      },
      { what: `${n} estimate(s) waiting`, intervalMs: 20 },
    );
  const estimate = (key: string) => h.call('POST', '/v1/segments/estimate?exact=true', proPlan, key);

  it(
    'refuses a second estimate of a workspace with 429 and Retry-After, another ' +
      'beyond the total with 503, and serves cheap requests meanwhile',
    async () => {
      const second = await createWorkspaceWithKey(h.database.db, 'second');
      const third = await createWorkspaceWithKey(h.database.db, 'third');
      const unlock = await lockProfiles();
      const running = [estimate(h.apiKey), estimate(second.apiKey)];
      await waitingOnTheLock(2);

      const busy = await estimate(h.apiKey);
      expect([busy.statusCode, busy.headers['retry-after'], busy.json<{ code: string }>().code]).toEqual([
        429,
        '7',
        'WORKSPACE_BUSY',
      ]);
      const full = await estimate(third.apiKey);
      expect([full.statusCode, full.headers['retry-after'], full.json<{ code: string }>().code]).toEqual([
        503,
        '7',
        'EXPENSIVE_WORK_BUSY',
      ]);
      expect((await h.call('GET', '/v1/canvases', undefined, third.apiKey)).statusCode).toBe(200);

      await unlock();
      expect((await Promise.all(running)).map((r) => r.statusCode)).toEqual([200, 200]);
      // the places are free again
      expect((await estimate(third.apiKey)).statusCode).toBe(200);
    },
  );

  it('stops an estimate that runs past its time with 422 ESTIMATE_TOO_COSTLY, suggesting the sampled one', async () => {
    const unlock = await lockProfiles();
    try {
      const response = await estimate(h.apiKey);
      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({
        code: 'ESTIMATE_TOO_COSTLY',
        detail: expect.stringContaining('sampled'),
      });
    } finally {
      await unlock();
    }
    expect((await estimate(h.apiKey)).statusCode).toBe(200);
  });

  it('refuses a segment over its budget with 422 and the pointer of the condition that goes over', async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => ({
      profile: { field: 'traits.plan', op: 'eq', value: `p${i}` },
    }));
    const tooMany = segment({ all: [{ any: fifty }, { any: fifty }, fifty[0]] });
    const created = await h.call('POST', '/v1/segments', tooMany);
    expect(created.statusCode).toBe(422);
    expect(created.json()).toMatchObject({
      code: 'SEGMENT_INVALID',
      errors: [{ code: 'too_many_conditions', path: '/body/conditions/all/2/profile' }],
    });

    const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
    const manyValues = segment({
      all: [
        { profile: { field: 'traits.plan', op: 'in', value: values(1000) } },
        { profile: { field: 'traits.tier', op: 'in', value: values(1000) } },
        { profile: { field: 'traits.zone', op: 'not_in', value: values(1) } },
      ],
    });
    const estimated = await h.call('POST', '/v1/segments/estimate', manyValues);
    expect(estimated.statusCode).toBe(422);
    expect(estimated.json()).toMatchObject({
      errors: [{ code: 'too_many_values', path: '/body/conditions/all/2/profile' }],
    });
    const validated = await h.call('POST', '/v1/segments/validate', manyValues);
    expect(validated.json()).toMatchObject({ valid: false, problems: [{ code: 'too_many_values' }] });
  });
});
