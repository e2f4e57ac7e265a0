import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createWorkspaceWithKey } from '@canvas/api';
import { userHash } from '@canvas/db';
import { startApiHarness, type ApiHarness } from '@canvas/test-support';

describe('the erasure API', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => h.close());

  it(
    'erases a user with nothing to remove from Meta, answers the same erasure while ' +
      'it is under way, and keeps no raw id',
    async () => {
      const first = await h.call('POST', '/v1/users/nobody-7/erasure');
      expect(first.statusCode).toBe(202);
      const view = first.json<{ id: string; userHash: string; status: string; removals: unknown[] }>();
      expect(view).toMatchObject({ status: 'removing', removals: [], requestedBy: 'admin' });
      expect(view.userHash).toBe(userHash(h.workspaceId, 'nobody-7'));
      expect(JSON.stringify(view)).not.toContain('nobody-7');
      const again = await h.call('POST', '/v1/users/nobody-7/erasure');
      expect([again.statusCode, again.json<{ id: string }>().id]).toEqual([200, view.id]);
      expect((await h.call('GET', `/v1/erasures/${view.id}`)).json()).toMatchObject({
        id: view.id,
        status: 'removing',
      });
    },
  );

  it('takes many users at once, each once', async () => {
    const bulk = await h.call('POST', '/v1/erasures', { userIds: ['a-1', 'a-2', 'a-1'] });
    expect(bulk.statusCode).toBe(202);
    expect(bulk.json<{ data: { userHash: string }[] }>().data.map((e) => e.userHash)).toEqual([
      userHash(h.workspaceId, 'a-1'),
      userHash(h.workspaceId, 'a-2'),
    ]);
  });

  it('refuses bad requests with the failing field, and hides erasures from other workspaces', async () => {
    const cases: [unknown, string][] = [
      [{ userIds: [] }, '/body/userIds'],
      [{ userIds: [''] }, '/body/userIds/0'],
      [{ userIds: ['x'], extra: true }, '/body/extra'],
      [{}, '/body/userIds'],
    ];
    for (const [body, path] of cases) {
      const response = await h.call('POST', '/v1/erasures', body);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ errors: [expect.objectContaining({ path })] });
    }
    const tooMany = await h.call('POST', '/v1/erasures', { userIds: Array.from({ length: 1001 }, (_, i) => `u${i}`) });
    expect(tooMany.statusCode).toBe(400);
    const mine = (await h.call('POST', '/v1/users/private-1/erasure')).json<{ id: string }>().id;
    const other = await createWorkspaceWithKey(h.database.db, 'Other');
    const response = await h.app.inject({
      method: 'GET',
      url: `/v1/erasures/${mine}`,
      headers: { authorization: `Bearer ${other.apiKey}` },
    });
    expect(response.statusCode).toBe(404);
    expect((await h.call('GET', '/v1/erasures/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});
