import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { request } from 'undici';
import {
  buildUsersPayloads,
  createGraphClient,
  GraphApiError,
  sha256Hex,
  withTransientRetry,
  type GraphClient,
  type MatchKey,
} from '@canvas/meta-graph';
import { startSandbox, type RunningSandbox } from '@canvas/meta-sandbox';

const hashedRow = (i: number) => [sha256Hex(`user${i}@example.com`), sha256Hex(`1650555${String(i).padStart(4, '0')}`)];
const schema: MatchKey[] = ['EMAIL', 'PHONE'];

async function failure(promise: Promise<unknown>): Promise<GraphApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GraphApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('Graph API client against the sandbox', () => {
  let sandbox: RunningSandbox;
  let client: GraphClient;
  let token: string;
  let accountId: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ admin: true });
    client = createGraphClient({ baseUrl: sandbox.url, version: 'v25.0', defaultThrottleWaitMs: 1000 });
  });

  afterAll(async () => {
    await client.close();
    await sandbox.close();
  });

  beforeEach(() => {
    sandbox.state.reset();
    accountId = sandbox.state.createAccount({ name: 'Acme Ads' }).id;
    token = sandbox.state.createToken({ adAccounts: [accountId] }).token;
  });

  const newAudience = async (name = 'Buyers') =>
    (await client.createCustomAudience(token, accountId, { name, description: 'test' })).data.id;

  describe('endpoints', () => {
    it('inspects a token with debug_token', async () => {
      const info = await client.debugToken(token);
      expect(info).toMatchObject({ isValid: true, scopes: ['ads_management', 'ads_read'], expiresAt: 0 });
    });

    it('reads an ad account with its custom-audience terms status', async () => {
      const { data } = await client.getAdAccount(token, `act_${accountId}`);
      expect(data).toEqual({ id: accountId, name: 'Acme Ads', accountStatus: 1, customAudienceTosAccepted: true });
      sandbox.state.accounts.get(accountId)!.tosAccepted = false;
      expect((await client.getAdAccount(token, accountId)).data.customAudienceTosAccepted).toBe(false);
    });

    it('creates, lists with paging, reads, renames and deletes audiences', async () => {
      const ids = [await newAudience('A'), await newAudience('B'), await newAudience('C')];
      expect(ids.every((id) => /^\d+$/.test(id))).toBe(true);
      const first = await client.listCustomAudiences(token, accountId, { limit: 2 });
      expect(first.data.audiences.map((a) => a.name)).toEqual(['A', 'B']);
      const second = await client.listCustomAudiences(token, accountId, { limit: 2, after: first.data.after! });
      expect(second.data.audiences.map((a) => a.name)).toEqual(['C']);
      expect(second.data.after).toBeUndefined();

      await client.updateCustomAudience(token, ids[0]!, { name: 'A2' }, accountId);
      const { data } = await client.getCustomAudience(token, ids[0]!, accountId);
      expect(data).toMatchObject({
        id: ids[0],
        name: 'A2',
        subtype: 'CUSTOM',
        approximateCountLowerBound: 0,
        deliveryStatus: { code: 300 },
      });

      expect((await client.deleteCustomAudience(token, ids[0]!, accountId)).data).toEqual({ success: true });
      const gone = await failure(client.getCustomAudience(token, ids[0]!));
      expect([gone.classification, gone.details.metaCode, gone.details.metaSubcode]).toEqual([
        'audience_missing',
        100,
        33,
      ]);
    });

    it('adds users and removes them with a DELETE body', async () => {
      sandbox.state.settings.minRemovalSize = 0;
      const id = await newAudience();
      const rows = Array.from({ length: 50 }, (_, i) => hashedRow(i));
      const added = await client.addUsers(
        token,
        id,
        { schema, data: rows },
        { adAccountId: accountId, session: { sessionId: 7, batchSeq: 1, lastBatchFlag: true } },
      );
      expect(added.data).toMatchObject({ audienceId: id, sessionId: '7', numReceived: 50, numInvalidEntries: 0 });
      expect(added.usage?.percent).toBe(0);
      await client.removeUsers(token, id, { schema, data: rows.slice(0, 20) }, { adAccountId: accountId });
      expect(sandbox.state.audiences.get(id)!.members.size).toBe(30);
      const removal = sandbox.state.requests.find((r) => r.method === 'DELETE' && r.action === 'remove');
      expect(removal?.path).toBe(`/v25.0/${id}/users`);
    });

    it('replaces the members through an upload session, read back from the sessions edge', async () => {
      const audienceId = await newAudience();
      await client.addUsers(token, audienceId, { schema, data: [hashedRow(1), hashedRow(2)] });
      const session = (batchSeq: number, lastBatchFlag: boolean) => ({
        sessionId: 734_001,
        batchSeq,
        lastBatchFlag,
        estimatedNumTotal: 3,
      });
      const first = await client.replaceUsers(token, audienceId, { schema, data: [hashedRow(2)] }, session(1, false));
      expect(first.data).toMatchObject({ audienceId, sessionId: '734001', numReceived: 1, numInvalidEntries: 0 });
      // Meta refuses other writes while the replace runs
      const refused = await failure(client.addUsers(token, audienceId, { schema, data: [hashedRow(9)] }));
      expect(refused.details).toMatchObject({ metaCode: 2650, metaSubcode: 1870145 });
      expect(refused.classification).toBe('transient');
      const last = await client.replaceUsers(
        token,
        audienceId,
        { schema, data: [hashedRow(3), hashedRow(4)] },
        session(2, true),
      );
      expect(last.data.numReceived).toBe(3);
      const stale = await failure(
        client.replaceUsers(token, audienceId, { schema, data: [hashedRow(5)] }, session(3, false)),
      );
      expect(stale.details).toMatchObject({ metaCode: 2650, metaSubcode: 1870159 });
      await new Promise((resolve) => setTimeout(resolve, sandbox.state.settings.replaceProcessingMs + 100));
      const read = await client.readUploadSession(token, audienceId, '734001');
      expect(read.data).toMatchObject({ sessionId: '734001', numReceived: 3, numMatched: 3, stage: 'finished' });
      expect(read.data?.endTime).toBeGreaterThan(0);
      expect((await client.getCustomAudience(token, audienceId)).data.approximateCountLowerBound).toBe(3);
      expect((await client.readUploadSession(token, audienceId, '999')).data).toBeUndefined();
    });

    it('accepts form-encoded payloads, access_token parameters and POST with method=DELETE', async () => {
      sandbox.state.settings.minRemovalSize = 0;
      const id = await newAudience();
      const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
      const add = await request(`${sandbox.url}/v25.0/${id}/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form({
          access_token: token,
          payload: JSON.stringify({ schema: 'EMAIL_SHA256', data: [hashedRow(1)[0], hashedRow(2)[0]] }),
        }),
      });
      expect(add.statusCode).toBe(200);
      expect(await add.body.json()).toMatchObject({ num_received: 2, num_invalid_entries: 0 });
      const remove = await request(`${sandbox.url}/v25.0/${id}/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form({
          access_token: token,
          method: 'DELETE',
          payload: JSON.stringify({ schema: ['EMAIL'], data: [[hashedRow(1)[0]]] }),
        }),
      });
      expect(remove.statusCode).toBe(200);
      await remove.body.dump();
      expect(sandbox.state.audiences.get(id)!.members.size).toBe(1);
    });

    it('counts badly hashed rows as invalid instead of adding them', async () => {
      const id = await newAudience();
      const { data } = await client.addUsers(token, id, {
        schema,
        data: [hashedRow(1), ['Jane@Example.com', ''], [sha256Hex('x').toUpperCase(), '']],
      });
      expect(data).toMatchObject({ numReceived: 3, numInvalidEntries: 2 });
      expect(sandbox.state.audiences.get(id)!.members.size).toBe(1);
    });

    it('rejects rows that do not match the schema and versions Meta no longer serves', async () => {
      const id = await newAudience();
      const raw = await request(`${sandbox.url}/v25.0/${id}/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ payload: { schema: ['EMAIL', 'PHONE'], data: [[hashedRow(1)[0]]] } }),
      });
      expect(raw.statusCode).toBe(400);
      expect(await raw.body.json()).toMatchObject({
        error: { code: 100, message: '(#100) Data is missing or does not match schema', type: 'OAuthException' },
      });

      const old = createGraphClient({ baseUrl: sandbox.url, version: 'v23.0' });
      const expired = await failure(old.getAdAccount(token, accountId));
      expect([expired.classification, expired.details.metaCode]).toEqual(['invalid_request', 2635]);
      await old.close();
    });

    it("serves only the versions Meta serves on the sandbox's clock: v24.0 expired 2026-11-10, v27.0 out", async () => {
      const at = (version: string) =>
        request(`${sandbox.url}/${version}/act_${accountId}?access_token=${token}`).then((r) => r.body.json());
      expect(await at('v24.0')).toMatchObject({ error: { code: 2635, message: expect.stringContaining('v27.0') } });
      expect(await at('v27.0')).not.toHaveProperty('error');
      expect(await at('v25.0')).not.toHaveProperty('error');
    });

    it('refuses more than 500 customer-file audiences per ad account', async () => {
      sandbox.state.settings.maxAudiencesPerAccount = 2;
      await newAudience('one');
      await newAudience('two');
      const refused = await failure(newAudience('three'));
      expect([refused.classification, refused.details.metaCode]).toEqual(['permission', 2654]);
    });
  });

  describe('error classes', () => {
    it('reports a throttle storm as throttled, sent as HTTP 400, with the wait from the usage header', async () => {
      const id = await newAudience();
      sandbox.state.faults.add({ kind: 'error', code: 80003, subcode: 2446079, count: 5, regainMinutes: 2 });
      for (let i = 0; i < 5; i += 1) {
        const error = await failure(
          client.addUsers(token, id, { schema, data: [hashedRow(i)] }, { adAccountId: accountId }),
        );
        expect(error).toMatchObject({
          code: 'META_THROTTLED',
          classification: 'throttled',
          details: { httpStatus: 400, metaCode: 80003, metaSubcode: 2446079, retryAfterMs: 120_000 },
        });
        expect(error.details.fbtraceId).toMatch(/^A/);
      }
      await expect(client.addUsers(token, id, { schema, data: [hashedRow(9)] })).resolves.toMatchObject({
        data: { audienceId: id, numReceived: 1, numInvalidEntries: 0 },
      });
    });

    it('reports an expired or revoked token as token_invalid', async () => {
      const expired = sandbox.state.createToken({ status: 'expired', adAccounts: [accountId] }).token;
      const error = await failure(client.getAdAccount(expired, accountId));
      expect(error).toMatchObject({
        classification: 'token_invalid',
        details: { httpStatus: 400, metaCode: 190, metaSubcode: 463 },
      });
      // without app credentials the token inspects itself, which an expired token cannot do
      expect((await failure(client.debugToken(expired))).classification).toBe('token_invalid');
      const asApp = createGraphClient({ baseUrl: sandbox.url, appId: '1000000000000001', appSecret: 'sandbox-secret' });
      expect(await asApp.debugToken(expired)).toMatchObject({ isValid: false });
      await asApp.close();
      const revoked = sandbox.state.createToken({ status: 'revoked', adAccounts: [accountId] }).token;
      expect((await failure(client.getAdAccount(revoked, accountId))).classification).toBe('token_invalid');
    });

    it('reports custom-audience terms not accepted', async () => {
      const id = await newAudience();
      sandbox.state.accounts.get(accountId)!.tosAccepted = false;
      const error = await failure(client.addUsers(token, id, { schema, data: [hashedRow(1)] }));
      expect(error).toMatchObject({
        classification: 'tos_not_accepted',
        details: { metaCode: 200, metaSubcode: 1870034 },
      });
      expect((await failure(newAudience())).classification).toBe('tos_not_accepted');
    });

    it('reports a removal from a too-small audience as audience_too_small', async () => {
      const id = await newAudience();
      await client.addUsers(token, id, { schema, data: [hashedRow(1)] });
      const error = await failure(client.removeUsers(token, id, { schema, data: [hashedRow(1)] }));
      expect(error).toMatchObject({
        classification: 'audience_too_small',
        details: { metaCode: 200, metaSubcode: 1870047 },
      });
    });

    it('reports an HTML error page, a 503 and a dropped connection as transient', async () => {
      const id = await newAudience();
      sandbox.state.faults.add({ kind: 'html', count: 1 });
      expect(await failure(client.addUsers(token, id, { schema, data: [hashedRow(1)] }))).toMatchObject({
        classification: 'transient',
        details: { httpStatus: 502 },
      });
      sandbox.state.faults.add({ kind: 'http_status', status: 503, count: 1 });
      expect(await failure(client.addUsers(token, id, { schema, data: [hashedRow(1)] }))).toMatchObject({
        classification: 'transient',
        details: { httpStatus: 503, metaCode: 2 },
      });
      sandbox.state.faults.add({ kind: 'drop', count: 1 });
      expect((await failure(client.addUsers(token, id, { schema, data: [hashedRow(1)] }))).classification).toBe(
        'transient',
      );
      await expect(client.addUsers(token, id, { schema, data: [hashedRow(1)] })).resolves.toMatchObject({
        data: { audienceId: id, numReceived: 1, numInvalidEntries: 0 },
      });
    });

    it('reports missing permissions, unknown audiences and invalid requests', async () => {
      const id = await newAudience();
      sandbox.state.faults.add({
        kind: 'error',
        code: 200,
        message: '(#200) The current user can not update audience',
        count: 1,
      });
      expect((await failure(client.addUsers(token, id, { schema, data: [hashedRow(1)] }))).classification).toBe(
        'permission',
      );
      expect(
        (await failure(client.addUsers(token, '238000000000001', { schema, data: [hashedRow(1)] }))).classification,
      ).toBe('audience_missing');
      const other = sandbox.state.createToken({ adAccounts: ['999'] }).token;
      expect((await failure(client.addUsers(other, id, { schema, data: [hashedRow(1)] }))).classification).toBe(
        'audience_missing',
      );
      sandbox.state.faults.add({ kind: 'error', code: 100, message: '(#100) Invalid parameter', count: 1 });
      expect((await failure(client.addUsers(token, id, { schema, data: [hashedRow(1)] }))).classification).toBe(
        'invalid_request',
      );
    });

    it('retries transient failures with backoff and leaves throttles to the caller', async () => {
      const id = await newAudience();
      sandbox.state.faults.add({ kind: 'http_status', status: 500, count: 2 });
      let attempts = 0;
      const result = await withTransientRetry(
        () => {
          attempts += 1;
          return client.addUsers(token, id, { schema, data: [hashedRow(1)] });
        },
        { minTimeoutMs: 10, maxTimeoutMs: 20 },
      );
      expect([attempts, result.data.numReceived]).toEqual([3, 1]);

      sandbox.state.faults.add({ kind: 'error', code: 80003, subcode: 2446079, count: 1 });
      attempts = 0;
      const throttled = await failure(
        withTransientRetry(
          () => {
            attempts += 1;
            return client.addUsers(token, id, { schema, data: [hashedRow(1)] });
          },
          { minTimeoutMs: 10 },
        ),
      );
      expect([attempts, throttled.classification]).toEqual([1, 'throttled']);
    });
  });

  it('sends 25,000 users as exactly three requests of 10,000, 10,000 and 5,000 with the schema', async () => {
    const id = await newAudience();
    const rows = Array.from({ length: 25_000 }, (_, i) => hashedRow(i));
    const payloads = buildUsersPayloads(schema, rows);
    for (const payload of payloads) await client.addUsers(token, id, payload, { adAccountId: accountId });
    const uploads = sandbox.state.requests.filter((r) => r.audienceId === id && r.action === 'add');
    expect(uploads.map((r) => r.rows)).toEqual([10_000, 10_000, 5_000]);
    expect(
      uploads.every(
        (r) => r.status === 200 && JSON.stringify(r.schema) === JSON.stringify(schema) && r.numInvalid === 0,
      ),
    ).toBe(true);
    expect(sandbox.state.audiences.get(id)!.members.size).toBe(25_000);
  });
});

describe('sandbox quota under scaled time', () => {
  let sandbox: RunningSandbox;
  let client: GraphClient;
  // the real time the sandbox scales: the test moves it on rather than wait for the window
  let realOffsetMs = 0;

  beforeAll(async () => {
    // one real second is 12 sandbox minutes: Meta's hour passes in 5 seconds
    sandbox = await startSandbox({
      admin: true,
      timeScale: 720,
      settings: { quotaBase: 50, quotaPerAudience: 40, quotaCap: 150 },
      realNow: () => Date.now() + realOffsetMs,
    });
    client = createGraphClient({ baseUrl: sandbox.url });
  });

  afterAll(async () => {
    await client.close();
    await sandbox.close();
  });

  it('allows base + 40 × audiences calls per rolling hour, capped, with usage headers as Meta sends them', async () => {
    const accountId = sandbox.state.createAccount({}).id;
    const token = sandbox.state.createToken({ adAccounts: [accountId] }).token;
    const audienceId = (await client.createCustomAudience(token, accountId, { name: 'q' })).data.id;
    // 1 call so far; quota = 50 + 40 × 1 = 90
    expect(sandbox.state.quotaFor(accountId)).toBe(90);
    const started = Date.now();
    let last = await client.getCustomAudience(token, audienceId, accountId);
    expect(last.usage).toEqual({ percent: Math.floor((2 / 90) * 100), regainAccessMs: 0, tier: 'standard_access' });
    for (let call = 3; call <= 90; call += 1) last = await client.getCustomAudience(token, audienceId, accountId);
    expect(last.usage?.percent).toBe(100);
    const refused = await failure(client.getCustomAudience(token, audienceId, accountId));
    expect(refused).toMatchObject({
      classification: 'throttled',
      details: { httpStatus: 400, metaCode: 80003, metaSubcode: 2446079 },
    });
    // the regain estimate is in (real) minutes: at most the scaled hour, i.e. 5 s
    const waitMs = refused.details.retryAfterMs!;
    expect(waitMs).toBeGreaterThan(0);
    expect(waitMs).toBeLessThanOrEqual(5000);
    expect(Date.now() - started).toBeLessThan(5000);

    // the announced wait covers what the sandbox's meter still holds the account back
    const held = sandbox.state.quota.snapshot(accountId, 90);
    expect(held.calls).toBe(90);
    expect(waitMs).toBeGreaterThanOrEqual(sandbox.state.clock.toRealMs(held.resetInMs) - 5);
    // waiting what the answer said, on the time the sandbox scales
    realOffsetMs += waitMs + 50;
    expect(sandbox.state.quota.snapshot(accountId, 90).calls).toBeLessThan(90);
    await expect(client.getCustomAudience(token, audienceId, accountId)).resolves.toMatchObject({
      data: { id: audienceId, name: 'q' },
    });

    // a second and third audience raise the quota by 40 each, up to the cap of 150
    sandbox.state.quota.reset();
    await client.createCustomAudience(token, accountId, { name: 'q2' });
    expect(sandbox.state.quotaFor(accountId)).toBe(130);
    await client.createCustomAudience(token, accountId, { name: 'q3' });
    expect(sandbox.state.quotaFor(accountId)).toBe(150);
    const usage = await request(`${sandbox.url}/_sandbox/ad-accounts/${accountId}/usage`);
    expect(await usage.body.json()).toMatchObject({ calls: 2, quota: 150, audiences: 3, timeScale: 720 });
  });
});
