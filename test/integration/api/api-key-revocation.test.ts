import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createWorkspaceWithKey } from '@canvas/api';
import { startApiHarness, type ApiHarness } from '@canvas/test-support';

describe('revoking API keys', () => {
  let h: ApiHarness;
  let url: string;
  beforeAll(async () => {
    h = await startApiHarness();
    url = await h.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => h.close());

  const call = async (method: 'POST' | 'DELETE', path: string, key: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as { id: string; apiKey: string; code?: string } };
  };
  const liveKeys = async (workspaceId: string) =>
    (
      await h.database.db
        .selectFrom('api_keys')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('revoked_at', 'is', null)
        .execute()
    ).length;

  it('lets a key revoke itself and newer keys, never an older one', async () => {
    const newer = (await call('POST', '/v1/api-keys', h.apiKey, { label: 'newer' })).body;
    const owner = (await h.call('GET', '/v1/api-keys')).json<{ data: { id: string }[] }>().data[0]!.id;
    const refused = await call('DELETE', `/v1/api-keys/${owner}`, newer.apiKey);
    expect([refused.status, refused.body.code]).toEqual([403, 'API_KEY_OLDER']);
    expect((await call('DELETE', `/v1/api-keys/${newer.id}`, newer.apiKey)).status).toBe(200);
    expect(await liveKeys(h.workspaceId)).toBe(1);
  });

  it('never leaves a workspace without a live key when two revocations race', async () => {
    for (let round = 0; round < 12; round += 1) {
      const { workspaceId, apiKey: first } = await createWorkspaceWithKey(h.database.db, `race ${round}`);
      const firstId = (
        await h.database.db
          .selectFrom('api_keys')
          .select('id')
          .where('workspace_id', '=', workspaceId)
          .executeTakeFirstOrThrow()
      ).id;
      const second = (await call('POST', '/v1/api-keys', first, { label: 'second' })).body;
      // each key revokes itself at once (odd rounds), or the first revokes both (even rounds)
      const [a, b] = await Promise.all([
        call('DELETE', `/v1/api-keys/${firstId}`, first),
        call('DELETE', `/v1/api-keys/${second.id}`, round % 2 ? second.apiKey : first),
      ]);
      expect(await liveKeys(workspaceId)).toBe(1);
      const statuses = [a.status, b.status].sort();
      expect(statuses[0]).toBe(200);
      expect([401, 409]).toContain(statuses[1]);
    }
  });
});
