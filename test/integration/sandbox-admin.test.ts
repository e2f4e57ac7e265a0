import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createGraphClient, GraphApiError, sha256Hex, type GraphClient } from '@canvas/meta-graph';
import { startSandbox, type RunningSandbox } from '@canvas/meta-sandbox';

describe('the sandbox admin API', () => {
  let sandbox: RunningSandbox;
  let client: GraphClient;
  const admin = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${sandbox.url}/_sandbox${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ admin: true });
    client = createGraphClient({ baseUrl: sandbox.url });
  });
  afterAll(async () => {
    await client.close();
    await sandbox.close();
  });

  it('is off unless enabled', async () => {
    const closed = await startSandbox();
    expect((await fetch(`${closed.url}/_sandbox/ad-accounts`)).status).toBe(400);
    await closed.close();
  });

  it(
    'creates accounts and tokens in every state, injects faults, scales time and ' + 'shows audiences and requests',
    async () => {
      expect((await admin('POST', '/reset')).body).toEqual({ ok: true });
      const account = (
        await admin<{ id: string; tosAccepted: boolean }>('POST', '/ad-accounts', { id: 'act_42', name: 'Admin test' })
      ).body;
      expect(account).toMatchObject({ id: '42', tosAccepted: true });
      const token = (
        await admin<{ token: string }>('POST', '/tokens', { token: 'EAAB-admin-token', adAccounts: ['42'] })
      ).body.token;
      const expired = (await admin<{ token: string }>('POST', '/tokens', { status: 'expired', adAccounts: ['42'] }))
        .body.token;
      await expect(client.getAdAccount(expired, '42')).rejects.toMatchObject({ classification: 'token_invalid' });
      expect((await admin('PATCH', `/tokens/${expired}`, { status: 'valid' })).status).toBe(200);
      await expect(client.getAdAccount(expired, '42')).resolves.toMatchObject({
        data: { id: '42', name: 'Admin test', customAudienceTosAccepted: true },
      });
      expect((await admin('PATCH', '/ad-accounts/42', { tosAccepted: false })).body).toMatchObject({
        tosAccepted: false,
      });
      expect((await client.getAdAccount(token, '42')).data.customAudienceTosAccepted).toBe(false);
      await admin('PATCH', '/ad-accounts/42', { tosAccepted: true });

      const audienceId = (await client.createCustomAudience(token, '42', { name: 'Admin audience' })).data.id;
      expect((await admin('POST', '/faults', { kind: 'error', code: 190, subcode: 463, count: 1 })).status).toBe(201);
      expect((await admin<{ data: unknown[] }>('GET', '/faults')).body.data).toHaveLength(1);
      const failed = await client
        .addUsers(token, audienceId, { schema: ['EMAIL'], data: [[sha256Hex('a@b.co')]] })
        .catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(GraphApiError);
      expect((failed as GraphApiError).classification).toBe('token_invalid');
      await admin('POST', '/faults', { kind: 'latency', latencyMs: 50, count: 1 });
      await admin('DELETE', '/faults');
      await client.addUsers(token, audienceId, {
        schema: ['EMAIL'],
        data: [[sha256Hex('a@b.co')], [sha256Hex('c@d.co')]],
      });

      expect((await admin<{ memberCount: number }>('GET', `/audiences/${audienceId}`)).body).toMatchObject({
        name: 'Admin audience',
        memberCount: 2,
      });
      const members = (
        await admin<{ total: number; members: Record<string, string>[] }>(
          'GET',
          `/audiences/${audienceId}/members?limit=1`,
        )
      ).body;
      expect(members.total).toBe(2);
      expect(members.members).toEqual([{ EMAIL: sha256Hex('a@b.co') }]);
      const requests = (
        await admin<{ data: { action?: string; rows?: number; status: number }[] }>(
          'GET',
          `/requests?audienceId=${audienceId}`,
        )
      ).body.data;
      expect(requests.map((r) => [r.action ?? null, r.rows ?? null, r.status])).toEqual([
        [null, null, 400],
        ['add', 2, 200],
      ]);

      expect((await admin<{ timeScale: number }>('PUT', '/clock', { timeScale: 60 })).body.timeScale).toBe(60);
      expect(
        (await admin<{ minRemovalSize: number }>('PUT', '/config', { minRemovalSize: 1 })).body.minRemovalSize,
      ).toBe(1);
      expect((await admin<{ quota: number; calls: number }>('GET', '/ad-accounts/42/usage')).body).toMatchObject({
        quota: 190_040,
      });
      expect((await admin<{ errors?: unknown }>('POST', '/faults', { kind: 'meltdown' })).status).toBe(400);
    },
  );

  it('refuses more than 10,000 rows the way Meta does', async () => {
    await admin('POST', '/ad-accounts', { id: '43' });
    const token = (await admin<{ token: string }>('POST', '/tokens', { adAccounts: ['43'] })).body.token;
    const audienceId = (await client.createCustomAudience(token, '43', { name: 'big' })).data.id;
    const response = await fetch(`${sandbox.url}/v25.0/${audienceId}/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        payload: { schema: ['EMAIL'], data: Array.from({ length: 10_001 }, (_, i) => [sha256Hex(`${i}`)]) },
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 1, error_subcode: 99, message: 'An unknown error occurred' },
    });
  });
});
