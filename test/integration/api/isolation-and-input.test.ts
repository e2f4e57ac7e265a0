import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createWorkspaceWithKey } from '@canvas/api';
import { abandonedCartCanvas, startApiHarness, type ApiHarness } from '@canvas/test-support';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

describe('workspace isolation and bad input', () => {
  let h: ApiHarness;
  let otherKey: string;
  let ids: { canvas: string; adAccount: string; apiKey: string };

  beforeAll(async () => {
    h = await startApiHarness();
    otherKey = (await createWorkspaceWithKey(h.database.db, 'Other')).apiKey;
    const account = h.sandboxAccount();
    const adAccount = (
      await h.call('POST', '/v1/ad-accounts', { adAccountId: account.accountId, accessToken: account.token })
    ).json<{ id: string }>().id;
    const canvas = (await h.call('POST', '/v1/canvases', abandonedCartCanvas())).json<{ id: string }>().id;
    await h.call('POST', `/v1/canvases/${canvas}/launch`);
    const apiKey = (await h.call('POST', '/v1/api-keys', { label: 'second' })).json<{ id: string }>().id;
    ids = { canvas, adAccount, apiKey };
  });
  afterAll(async () => h.close());

  it("answers 404 to another workspace's key for every id of this one", async () => {
    const routes: [Method, string, unknown?][] = [
      ['GET', `/v1/canvases/${ids.canvas}`],
      ['PUT', `/v1/canvases/${ids.canvas}`, abandonedCartCanvas()],
      ['POST', `/v1/canvases/${ids.canvas}/launch`],
      ['POST', `/v1/canvases/${ids.canvas}/pause`],
      ['POST', `/v1/canvases/${ids.canvas}/resume`],
      ['POST', `/v1/canvases/${ids.canvas}/archive`],
      ['GET', `/v1/canvases/${ids.canvas}/versions`],
      ['GET', `/v1/canvases/${ids.canvas}/versions/1`],
      ['GET', `/v1/canvases/${ids.canvas}/analytics`],
      ['GET', `/v1/canvases/${ids.canvas}/analytics/series?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z`],
      ['GET', `/v1/canvases/${ids.canvas}/steps/fb/users/u1`],
      ['GET', `/v1/ad-accounts/${ids.adAccount}`],
      ['PUT', `/v1/ad-accounts/${ids.adAccount}/token`, { accessToken: 'EAAB-whatever-token' }],
      ['POST', `/v1/ad-accounts/${ids.adAccount}/default`],
      ['DELETE', `/v1/ad-accounts/${ids.adAccount}`],
      ['GET', `/v1/ad-accounts/${ids.adAccount}/audiences`],
      ['GET', `/v1/ad-accounts/${ids.adAccount}/created-audiences`],
      ['DELETE', `/v1/api-keys/${ids.apiKey}`],
    ];
    for (const [method, url, body] of routes) {
      const response = await h.call(method, url, body, otherKey);
      expect([method, url, response.statusCode, response.json<{ code: string }>().code]).toEqual([
        method,
        url,
        404,
        'NOT_FOUND',
      ]);
    }
    const lists = await Promise.all(
      ['/v1/canvases', '/v1/ad-accounts'].map((url) => h.call('GET', url, undefined, otherKey)),
    );
    expect(lists.map((r) => r.json<{ data: unknown[] }>().data)).toEqual([[], []]);
    // and the first workspace still has everything
    expect((await h.call('GET', `/v1/canvases/${ids.canvas}`)).json()).toMatchObject({ status: 'running' });
  });

  it('answers bad input everywhere with a 4xx problem naming the field, never a 500', async () => {
    const cases: [Method, string, unknown, number, string, string?][] = [
      ['POST', '/v1/api-keys', { label: 42 }, 400, 'VALIDATION_FAILED', '/body/label'],
      ['POST', '/v1/api-keys', {}, 400, 'VALIDATION_FAILED', '/body/label'],
      ['POST', '/v1/api-keys', { label: 'x', admin: true }, 400, 'VALIDATION_FAILED', '/body/admin'],
      [
        'POST',
        '/v1/ad-accounts',
        { adAccountId: 'abc', accessToken: 'EAAB-token-token' },
        400,
        'VALIDATION_FAILED',
        '/body/adAccountId',
      ],
      [
        'POST',
        '/v1/ad-accounts',
        { adAccountId: '1', accessToken: ['x'] },
        400,
        'VALIDATION_FAILED',
        '/body/accessToken',
      ],
      ['PUT', `/v1/ad-accounts/${ids.adAccount}/token`, { token: 'x' }, 400, 'VALIDATION_FAILED', '/body/token'],
      ['GET', '/v1/canvases?limit=1000', undefined, 400, 'VALIDATION_FAILED', '/query/limit'],
      ['GET', '/v1/canvases?status=done', undefined, 400, 'VALIDATION_FAILED', '/query/status'],
      ['GET', '/v1/canvases?page=2', undefined, 400, 'VALIDATION_FAILED', '/query/page'],
      ['GET', '/v1/canvases/not-a-uuid', undefined, 400, 'VALIDATION_FAILED', '/params/id'],
      [
        'GET',
        `/v1/canvases/${ids.canvas}/analytics?from=yesterday`,
        undefined,
        400,
        'VALIDATION_FAILED',
        '/query/from',
      ],
      ['POST', '/v1/canvases', { name: 'x' }, 422, 'CANVAS_INVALID', '/body/entry'],
      ['POST', '/v1/canvases', [], 422, 'CANVAS_INVALID', '/body'],
      ['POST', '/v1/canvases', 'null', 422, 'CANVAS_INVALID', '/body'],
      [
        'PUT',
        `/v1/canvases/${ids.canvas}`,
        { ...abandonedCartCanvas(), steps: 'none' },
        422,
        'CANVAS_INVALID',
        '/body/steps',
      ],
      ['POST', '/v1/canvases/validate', '{"name":', 400, 'INVALID_JSON'],
      ['POST', '/v1/canvases', '{"name": "x",}', 400, 'INVALID_JSON'],
      [
        'POST',
        '/v1/canvases',
        JSON.stringify({ ...abandonedCartCanvas(), description: 'x'.repeat(2_000_000) }),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      ['GET', '/v1/nothing-here', undefined, 404, 'NOT_FOUND'],
    ];
    for (const [method, url, body, status, code, path] of cases) {
      const response = await h.call(method, url, body);
      const problem = response.json<{ code: string; errors?: { path: string }[] }>();
      expect([method, url, response.statusCode, problem.code]).toEqual([method, url, status, code]);
      expect(response.headers['content-type']).toContain('application/problem+json');
      if (path) expect(problem.errors?.map((e) => e.path)).toContain(path);
    }
    const wrongType = await h.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: { authorization: `Bearer ${h.apiKey}`, 'content-type': 'text/plain' },
      payload: 'label=x',
    });
    expect([wrongType.statusCode, wrongType.json<{ code: string }>().code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });
});
