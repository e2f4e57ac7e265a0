import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addCounters } from '@canvas/db';
import { abandonedCartCanvas, startApiHarness, type ApiHarness } from '@canvas/test-support';

interface SeriesAnswer {
  buckets: string[];
  series: { stepId: string; metric: string; values: number[] }[];
}

describe('analytics over time', () => {
  let h: ApiHarness;
  let canvasId: string;
  beforeAll(async () => {
    h = await startApiHarness();
    const account = h.sandboxAccount();
    await h.call('POST', '/v1/ad-accounts', { adAccountId: account.accountId, accessToken: account.token });
    canvasId = (await h.call('POST', '/v1/canvases', abandonedCartCanvas())).json<{ id: string }>().id;
    await h.call('POST', `/v1/canvases/${canvasId}/launch`);
    const write = (at: string, shard: number, deltas: [string, 'entered' | 'synced' | 'errored', number][]) =>
      addCounters(
        h.database.db,
        deltas.map(([stepId, metric, delta]) => ({
          workspaceId: h.workspaceId,
          canvasId,
          version: 1,
          stepId,
          metric,
          delta,
        })),
        new Date(at),
        shard,
      );
    await write('2026-03-01T08:10:00Z', 0, [['fb', 'entered', 4]]);
    await write('2026-03-01T08:50:00Z', 1, [
      ['fb', 'entered', 2],
      ['fb', 'synced', 5],
    ]);
    await write('2026-03-01T10:05:00Z', 0, [['fb', 'errored', 1]]);
    await write('2026-03-02T03:00:00Z', 0, [['fb', 'synced', 3]]);
  });
  afterAll(async () => h.close());

  it('sums every writer shard per hour, with zeros where nothing changed', async () => {
    const response = await h.call(
      'GET',
      `/v1/canvases/${canvasId}/analytics/series?from=2026-03-01T08:00:00Z&to=2026-03-01T11:00:00Z`,
    );
    expect(response.statusCode).toBe(200);
    const answer = response.json<SeriesAnswer>();
    expect(answer.buckets).toEqual([
      '2026-03-01T08:00:00.000Z',
      '2026-03-01T09:00:00.000Z',
      '2026-03-01T10:00:00.000Z',
    ]);
    expect(answer.series.sort((a, b) => a.metric.localeCompare(b.metric))).toEqual([
      { stepId: 'fb', metric: 'entered', values: [6, 0, 0] },
      { stepId: 'fb', metric: 'errored', values: [0, 0, 1] },
      { stepId: 'fb', metric: 'synced', values: [5, 0, 0] },
    ]);
  });

  it('groups days at midnight in the asked time zone', async () => {
    // in New York the 03:00Z change of 2 March is 22:00 on 1 March
    const response = await h.call(
      'GET',
      `/v1/canvases/${canvasId}/analytics/series?from=2026-03-01T05:00:00Z&to=2026-03-03T05:00:00Z` +
        '&interval=day&timeZone=America/New_York',
    );
    const answer = response.json<SeriesAnswer>();
    expect(answer.buckets).toEqual(['2026-03-01T05:00:00.000Z', '2026-03-02T05:00:00.000Z']);
    expect(answer.series.find((s) => s.metric === 'synced')?.values).toEqual([8, 0]);
  });

  it('refuses a range that is backwards, too long or in an unknown zone, naming the field', async () => {
    const ask = (query: string) => h.call('GET', `/v1/canvases/${canvasId}/analytics/series?${query}`);
    const backwards = await ask('from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z');
    const tooLong = await ask('from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&interval=hour');
    const zone = await ask('from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&timeZone=Mars/Olympus');
    for (const [response, path] of [
      [backwards, '/query/to'],
      [tooLong, '/query/to'],
      [zone, '/query/timeZone'],
    ] as const) {
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toContain(path);
    }
  });
});
