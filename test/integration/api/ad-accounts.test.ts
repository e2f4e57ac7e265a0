import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { adAccountTokenRow, addCounters } from '@canvas/db';
import { createTokenCipher } from '@canvas/runtime';
import { abandonedCartCanvas, startApiHarness, type ApiHarness } from '@canvas/test-support';

interface AdAccountView {
  id: string;
  adAccountId: string;
  name: string;
  status: string;
  statusReason: string | null;
  tosUrl: string | null;
  addedBy: string;
  isDefault: boolean;
  addedAt: string;
}

describe('ad-account connections', () => {
  let h: ApiHarness;
  const tokens: string[] = [];
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    // no answer ever carried an access token
    for (const token of tokens) expect(h.bodies.some((body) => body.includes(token))).toBe(false);
    await h.close();
  });

  const account = (options?: { tosAccepted?: boolean }) => {
    const created = h.sandboxAccount(options);
    tokens.push(created.token);
    return created;
  };

  it('connects an account after checking the token with Meta, and stores the token encrypted', async () => {
    const { accountId, token } = account();
    const response = await h.call('POST', '/v1/ad-accounts', { adAccountId: `act_${accountId}`, accessToken: token });
    expect(response.statusCode).toBe(201);
    const view = response.json<AdAccountView>();
    expect(view).toMatchObject({
      adAccountId: `act_${accountId}`,
      name: 'Sandbox Ads',
      status: 'connected',
      statusReason: null,
      tosUrl: null,
      heldSince: null,
      tokenExpiresAt: null,
      tokenWarning: null,
      addedBy: 'admin',
      isDefault: true,
    });
    expect(Date.parse(view.addedAt)).toBeGreaterThan(0);
    const row = await h.database.db
      .selectFrom('ad_accounts')
      .selectAll()
      .where('id', '=', view.id)
      .executeTakeFirstOrThrow();
    expect(row.token_ciphertext.toString('utf8')).not.toContain(token);
    expect(row.token_ciphertext.toString('latin1')).not.toContain(token);
    expect(
      createTokenCipher(h.encryptionKey).decrypt(
        row.token_ciphertext,
        adAccountTokenRow({ workspaceId: h.workspaceId, id: view.id }),
      ),
    ).toBe(token);
    const again = await h.call('POST', '/v1/ad-accounts', { adAccountId: accountId, accessToken: token });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'AD_ACCOUNT_EXISTS' });
  });

  it('records an account whose Custom Audience terms are not accepted, with where to accept them', async () => {
    const { accountId, token } = account({ tosAccepted: false });
    const response = await h.call('POST', '/v1/ad-accounts', { adAccountId: accountId, accessToken: token });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      status: 'tos_not_accepted',
      isDefault: false,
      tosUrl: `https://business.facebook.com/ads/manage/customaudiences/tos/?act=${accountId}`,
    });
    // the sync cannot use it: users handed to it are held from the start
    expect(Date.parse(response.json<{ heldSince: string }>().heldSince)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('shows when Meta says the token expires, and warns in the week before', async () => {
    const { accountId } = account();
    const inThreeDays = Math.floor(Date.now() / 1000) + 3 * 86_400;
    const expiring = h.sandbox.state.createToken({ adAccounts: [accountId], expiresAt: inThreeDays }).token;
    tokens.push(expiring);
    const created = await h.call('POST', '/v1/ad-accounts', { adAccountId: accountId, accessToken: expiring });
    expect(created.json()).toMatchObject({
      status: 'connected',
      tokenExpiresAt: new Date(inThreeDays * 1000).toISOString(),
      tokenWarning: 'expires_soon',
    });
    const lasting = h.sandbox.state.createToken({
      adAccounts: [accountId],
      expiresAt: inThreeDays + 30 * 86_400,
    }).token;
    tokens.push(lasting);
    const { id } = created.json<{ id: string }>();
    const replaced = await h.call('PUT', `/v1/ad-accounts/${id}/token`, { accessToken: lasting });
    expect(replaced.json()).toMatchObject({ tokenWarning: null });
    expect(Date.parse(replaced.json<{ tokenExpiresAt: string }>().tokenExpiresAt)).toBe(
      (inThreeDays + 30 * 86_400) * 1000,
    );
  });

  it('rejects expired tokens, tokens without ads_management and accounts the token cannot read', async () => {
    const { accountId } = account();
    const expired = h.sandbox.state.createToken({ status: 'expired', adAccounts: [accountId] }).token;
    const noScope = h.sandbox.state.createToken({ adAccounts: [accountId], scopes: ['ads_read'] }).token;
    const otherAccount = h.sandbox.state.createToken({ adAccounts: ['1'] }).token;
    tokens.push(expired, noScope, otherAccount);
    const cases: [string, string, string][] = [
      [expired, 'TOKEN_INVALID', '/body/accessToken'],
      [noScope, 'TOKEN_SCOPE_MISSING', '/body/accessToken'],
      [otherAccount, 'AD_ACCOUNT_NOT_ACCESSIBLE', '/body/adAccountId'],
    ];
    for (const [token, code, path] of cases) {
      const response = await h.call('POST', '/v1/ad-accounts', { adAccountId: accountId, accessToken: token });
      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({ code, errors: [expect.objectContaining({ path })] });
    }
  });

  it('answers 503 with Retry-After when Meta is down', async () => {
    const { accountId, token } = account();
    h.sandbox.state.faults.add({ kind: 'http_status', status: 503, count: 1 });
    const response = await h.call('POST', '/v1/ad-accounts', { adAccountId: accountId, accessToken: token });
    expect(response.statusCode).toBe(503);
    // a 503 carries no estimate from Meta: the API asks for its default of 30 seconds
    expect(response.headers['retry-after']).toBe('30');
    expect(response.json()).toMatchObject({ code: 'META_UNAVAILABLE' });
  });

  it('lists accounts, moves the default, reconnects with a new token and lists Meta audiences', async () => {
    const { accountId, token } = account();
    const created = (
      await h.call('POST', '/v1/ad-accounts', { adAccountId: accountId, accessToken: token })
    ).json<AdAccountView>();
    const moved = await h.call('POST', `/v1/ad-accounts/${created.id}/default`);
    expect(moved.json()).toMatchObject({ isDefault: true });
    const list = (await h.call('GET', '/v1/ad-accounts')).json<{ data: AdAccountView[] }>().data;
    expect(list.filter((a) => a.isDefault).map((a) => a.id)).toEqual([created.id]);

    h.sandbox.state.tokens.get(token)!.status = 'revoked';
    const fresh = h.sandbox.state.createToken({ adAccounts: [accountId] }).token;
    tokens.push(fresh);
    const reconnected = await h.call('PUT', `/v1/ad-accounts/${created.id}/token`, { accessToken: fresh });
    expect(reconnected.statusCode).toBe(200);
    expect(reconnected.json()).toMatchObject({ status: 'connected' });

    await h.graph.createCustomAudience(fresh, accountId, { name: 'Existing buyers' });
    const audiences = await h.call('GET', `/v1/ad-accounts/${created.id}/audiences?limit=10`);
    expect(audiences.statusCode).toBe(200);
    expect(audiences.json()).toMatchObject({
      data: [expect.objectContaining({ name: 'Existing buyers', approximateCount: 0 })],
      next: null,
    });
    expect((await h.call('GET', `/v1/ad-accounts/${created.id}`)).json()).toMatchObject({ id: created.id });
  });

  it('answers 502 when Meta refuses a call the API makes for the designer', async () => {
    const { accountId, token } = account();
    const created = (
      await h.call('POST', '/v1/ad-accounts', { adAccountId: accountId, accessToken: token })
    ).json<AdAccountView>();
    h.sandbox.state.faults.add({ kind: 'error', code: 200, message: '(#200) Permissions error', count: 1 });
    const response = await h.call('GET', `/v1/ad-accounts/${created.id}/audiences`);
    expect(response.statusCode).toBe(502);
    expect(response.json()).toMatchObject({ code: 'META_REJECTED' });
  });

  it('refuses to disconnect an account a running canvas sends to, and allows it once archived', async () => {
    const { accountId, token } = account();
    const created = (
      await h.call('POST', '/v1/ad-accounts', { adAccountId: accountId, accessToken: token })
    ).json<AdAccountView>();
    const canvas = (
      await h.call('POST', '/v1/canvases', abandonedCartCanvas({ adAccountId: `act_${accountId}` }))
    ).json<{ id: string }>();
    expect((await h.call('POST', `/v1/canvases/${canvas.id}/launch`)).statusCode).toBe(200);
    const refused = await h.call('DELETE', `/v1/ad-accounts/${created.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'AD_ACCOUNT_IN_USE' });
    await h.call('POST', `/v1/canvases/${canvas.id}/archive`);
    // a user still waiting for this connection
    const version = await h.database.db
      .selectFrom('canvas_versions')
      .select('resolved')
      .where('canvas_id', '=', canvas.id)
      .executeTakeFirstOrThrow();
    const audienceId = (version.resolved as Record<string, { audienceId: string }>).fb!.audienceId;
    await h.database.db
      .insertInto('audience_entries')
      .values({
        meta_account_id: accountId,
        ad_account_id: created.id,
        workspace_id: h.workspaceId,
        audience_id: audienceId,
        action: 'add',
        canvas_id: canvas.id,
        version: 1,
        step_id: 'fb',
        user_id: 'waiting',
        entry_seq: 1,
        schema: ['EMAIL'],
        row_values: ['a'.repeat(64)],
        status: 'pending',
        next_attempt_at: new Date(),
        entered_at: new Date(),
        deadline_at: new Date(Date.now() + 3_600_000),
        last_error: null,
        sent_at: null,
      })
      .execute();
    await addCounters(
      h.database.db,
      [
        { workspaceId: h.workspaceId, canvasId: canvas.id, version: 1, stepId: 'fb', metric: 'entered', delta: 1 },
        { workspaceId: h.workspaceId, canvasId: canvas.id, version: 1, stepId: 'fb', metric: 'pending', delta: 1 },
      ],
      new Date(),
      0,
    );
    expect((await h.call('DELETE', `/v1/ad-accounts/${created.id}`)).statusCode).toBe(204);
    const fb = (await h.call('GET', `/v1/canvases/${canvas.id}/analytics`))
      .json<{ steps: { stepId: string; facebook: unknown }[] }>()
      .steps.find((s) => s.stepId === 'fb');
    expect(fb?.facebook).toEqual({
      synced: 0,
      notSynced: 0,
      pending: 0,
      errored: 1,
      invalidEntries: 0,
      withoutValue: 0,
      removals: { removed: 0, synced: 0, notSynced: 0, pending: 0, errored: 0 },
    });
    expect((await h.call('GET', `/v1/canvases/${canvas.id}/steps/fb/users/waiting`)).json()).toMatchObject({
      entries: [{ status: 'errored', lastError: { code: 'AD_ACCOUNT_REMOVED' } }],
    });
    expect((await h.call('GET', `/v1/ad-accounts/${created.id}`)).statusCode).toBe(404);
  });
});
