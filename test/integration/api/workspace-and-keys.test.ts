import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startApiHarness, type ApiHarness } from '@canvas/test-support';

describe('workspace and API keys', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => h.close());

  it('answers 401 with problem+json without a key, with a wrong key, and with a revoked key', async () => {
    const none = await h.app.inject({ method: 'GET', url: '/v1/workspace' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.json()).toMatchObject({ status: 401, code: 'UNAUTHORIZED', type: 'urn:canvas:problem:unauthorized' });
    expect((await h.call('GET', '/v1/workspace', undefined, 'cjk_wrong')).statusCode).toBe(401);
  });

  it('shows the workspace of the key', async () => {
    const response = await h.call('GET', '/v1/workspace');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: h.workspaceId, name: 'Test workspace' });
  });

  it("shows the Marketing API version in use with Meta's expiry date and the days left", async () => {
    const { graphApi } = (await h.call('GET', '/v1/workspace')).json<{
      graphApi: { version: string; expiresOn: string; daysLeft: number };
    }>();
    expect(graphApi).toMatchObject({ version: 'v25.0', expiresOn: '2027-02-23' });
    expect(graphApi.daysLeft).toBeGreaterThanOrEqual(0);
    // the ops listener serves this registry (see ops-listener.test.ts)
    expect(await h.registry.metrics()).toMatch(
      new RegExp(`canvas_graph_api_version_days_left\\{version="v25.0",service="api"\\} ${graphApi.daysLeft}\\b`),
    );
  });

  it('creates keys shown once, lists them without the secret, and revokes them', async () => {
    const created = await h.call('POST', '/v1/api-keys', { label: 'ci' });
    expect(created.statusCode).toBe(201);
    const { id, apiKey, prefix } = created.json<{ id: string; apiKey: string; prefix: string }>();
    expect(apiKey).toMatch(/^cjk_/);
    expect(apiKey.startsWith(prefix)).toBe(true);
    expect((await h.call('GET', '/v1/workspace', undefined, apiKey)).statusCode).toBe(200);

    const list = await h.call('GET', '/v1/api-keys');
    expect(list.body).not.toContain(apiKey);
    expect(list.json<{ data: { label: string }[] }>().data.map((k) => k.label)).toEqual(['admin', 'ci']);

    const row = await h.database.db
      .selectFrom('api_keys')
      .select('key_hash')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.key_hash.toString('utf8')).not.toContain(apiKey);

    const revoked = await h.call('DELETE', `/v1/api-keys/${id}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json<{ revokedAt: string | null }>().revokedAt).not.toBeNull();
    expect((await h.call('GET', '/v1/workspace', undefined, apiKey)).statusCode).toBe(401);
    expect((await h.call('DELETE', `/v1/api-keys/${id}`)).statusCode).toBe(404);
  });

  it('refuses to revoke the last active key', async () => {
    const keys = (await h.call('GET', '/v1/api-keys'))
      .json<{ data: { id: string; revokedAt: string | null }[] }>()
      .data.filter((k) => !k.revokedAt);
    expect(keys).toHaveLength(1);
    const response = await h.call('DELETE', `/v1/api-keys/${keys[0]!.id}`);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'LAST_API_KEY' });
    expect((await h.call('GET', '/v1/workspace')).statusCode).toBe(200);
  });

  it('serves health and readiness without a key', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await h.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({
      status: 'ok',
      checks: { postgres: 'ok' },
    });
  });
});
