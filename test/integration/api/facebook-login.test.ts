import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createWorkspaceWithKey } from '@canvas/api';
import { isGraphApiError } from '@canvas/meta-graph';
import { facebookLoginRedirectUri, startApiHarness, type ApiHarness } from '@canvas/test-support';

interface LoginAnswer {
  id: string;
  status: string;
  failure: string | null;
  tokenExpiresAt: string | null;
  adAccounts: { adAccountId: string; name: string; connected: boolean }[];
}

describe('connecting ad accounts with Facebook Login (the sandbox plays the dialog and Graph)', () => {
  let h: ApiHarness;
  const offered: string[] = [];
  let unreachable: string;
  beforeAll(async () => {
    h = await startApiHarness({ facebookLogin: true });
    for (const name of ['Shoes EU', 'Shoes US', 'Outlet']) offered.push(h.sandbox.state.createAccount({ name }).id);
    unreachable = h.sandbox.state.createAccount({ name: 'Someone else' }).id;
    h.sandbox.state.loginPerson = { name: 'Designer', adAccounts: [...offered], declines: false };
  });
  afterAll(async () => h.close());

  /** Starts a login and plays the browser: opens the dialog over HTTP, follows its redirect into the API. */
  const signIn = async () => {
    const started = await h.call('POST', '/v1/facebook-login');
    expect(started.statusCode).toBe(201);
    const { id, authorizationUrl } = started.json<{ id: string; authorizationUrl: string }>();
    const dialog = await fetch(authorizationUrl, { redirect: 'manual' });
    expect(dialog.status).toBe(302);
    const back = new URL(dialog.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(facebookLoginRedirectUri);
    const callback = await h.app.inject({
      method: 'GET',
      url: `${back.pathname}${back.search}`,
      headers: { accept: 'text/html,application/xhtml+xml' },
    });
    return { id, authorizationUrl: new URL(authorizationUrl), back, callback };
  };

  it('asks for ads_management with a fresh state, exchanges the code for a long-lived token and lists every reachable account', async () => {
    const { id, authorizationUrl, back, callback } = await signIn();
    expect(authorizationUrl.searchParams.get('scope')).toContain('ads_management');
    expect(authorizationUrl.searchParams.get('client_id')).toBe(h.sandbox.state.app.appId);
    expect(authorizationUrl.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(back.searchParams.get('state')).toBe(authorizationUrl.searchParams.get('state'));
    expect(callback.statusCode).toBe(200);
    expect(callback.headers['content-type']).toContain('text/html');

    const login = (await h.call('GET', `/v1/facebook-login/${id}`)).json<LoginAnswer>();
    expect(login.status).toBe('authorized');
    expect(login.adAccounts.map((a) => a.adAccountId).sort()).toEqual(offered.map((a) => `act_${a}`).sort());
    expect(login.adAccounts.every((a) => !a.connected)).toBe(true);
    // the long-lived exchange: about 60 days
    const days = (Date.parse(login.tokenExpiresAt ?? '') - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(59);
    expect(days).toBeLessThan(61);

    // the state works once, and so does the code
    const replay = await h.app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    expect(replay.statusCode).toBe(400);
    const reused = await h.graph
      .exchangeCode(h.sandbox.state.app, back.searchParams.get('code') ?? '', facebookLoginRedirectUri)
      .catch((error: unknown) => error);
    expect(isGraphApiError(reused) && reused.details.metaSubcode).toBe(36009);

    // two of the three offered accounts, one made the default, in one call
    const connected = await h.call('POST', `/v1/facebook-login/${id}/connect`, {
      adAccountIds: [`act_${offered[0]}`, offered[2]],
      defaultAdAccountId: offered[2],
    });
    expect(connected.statusCode).toBe(200);
    const accounts = connected.json<{ data: { adAccountId: string; status: string; isDefault: boolean }[] }>().data;
    expect(accounts.map((a) => [a.adAccountId, a.status, a.isDefault]).sort()).toEqual(
      [
        [`act_${offered[0]}`, 'connected', false],
        [`act_${offered[2]}`, 'connected', true],
      ].sort(),
    );
    const listed = (await h.call('GET', '/v1/ad-accounts')).json<{ data: { adAccountId: string }[] }>().data;
    expect(listed.map((a) => a.adAccountId).sort()).toEqual([`act_${offered[0]}`, `act_${offered[2]}`].sort());
    const after = (await h.call('GET', `/v1/facebook-login/${id}`)).json<LoginAnswer>();
    expect(after.status).toBe('connected');
    expect(after.adAccounts.filter((a) => a.connected)).toHaveLength(2);

    // a used login connects nothing more
    const again = await h.call('POST', `/v1/facebook-login/${id}/connect`, { adAccountIds: [offered[1]] });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'FACEBOOK_LOGIN_NOT_AUTHORIZED' });
  });

  it('never lets a token reach a URL, an answer, a log line or the database in clear', async () => {
    const userTokens = [...h.sandbox.state.tokens.values()].filter((t) => t.type === 'USER').map((t) => t.token);
    expect(userTokens.length).toBeGreaterThanOrEqual(2);
    const stored = await h.database.db.selectFrom('ad_accounts').select(['token_ciphertext']).execute();
    const logins = await h.database.db.selectFrom('facebook_logins').selectAll().execute();
    const seen = [
      ...h.bodies,
      ...h.logs,
      JSON.stringify(logins),
      ...stored.map((r) => r.token_ciphertext.toString('latin1')),
    ];
    for (const token of userTokens) for (const text of seen) expect(text).not.toContain(token);
    // the login row keeps no token once its accounts are connected, and never the state itself
    expect(logins.every((l) => l.status !== 'connected' || l.token_ciphertext === null)).toBe(true);
    expect(logins.every((l) => /^[0-9a-f]{64}$/.test(l.state_hash))).toBe(true);
  });

  it('refuses an account the login does not reach, at its field', async () => {
    const { id } = await signIn();
    const picked = await h.call('POST', `/v1/facebook-login/${id}/connect`, {
      adAccountIds: [offered[1], `act_${unreachable}`],
    });
    expect(picked.statusCode).toBe(422);
    expect(picked.json()).toMatchObject({
      code: 'AD_ACCOUNT_NOT_OFFERED',
      errors: [{ code: 'not_offered', path: '/body/adAccountIds/1' }],
    });
    // nothing was connected by the refused call
    const listed = (await h.call('GET', '/v1/ad-accounts')).json<{ data: unknown[] }>().data;
    expect(listed).toHaveLength(2);
  });

  it('records a declined dialog, and answers an unknown state with a page, not an error trace', async () => {
    h.sandbox.state.loginPerson = { ...h.sandbox.state.loginPerson, declines: true };
    const { id, callback } = await signIn();
    h.sandbox.state.loginPerson = { ...h.sandbox.state.loginPerson, declines: false };
    expect(callback.statusCode).toBe(200);
    const login = (await h.call('GET', `/v1/facebook-login/${id}`)).json<LoginAnswer>();
    expect(login).toMatchObject({ status: 'denied', failure: 'the person declined on Facebook', adAccounts: [] });

    const forged = '/v1/facebook-login/callback?state=forged&code=AQxyz';
    const page = await h.app.inject({ method: 'GET', url: forged, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(400);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('not valid');
    const json = await h.app.inject({ method: 'GET', url: forged });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ code: 'FACEBOOK_LOGIN_STATE_INVALID' });
  });

  it('keeps logins to their workspace', async () => {
    const { id } = await signIn();
    const { apiKey } = await createWorkspaceWithKey(h.database.db, 'Other');
    expect((await h.call('GET', `/v1/facebook-login/${id}`, undefined, apiKey)).statusCode).toBe(404);
    const connect = await h.call('POST', `/v1/facebook-login/${id}/connect`, { adAccountIds: [offered[1]] }, apiKey);
    expect(connect.statusCode).toBe(404);
  });
});

describe('Facebook Login without a Meta app configured', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => h.close());

  it('says what to configure, and points at the token route', async () => {
    const started = await h.call('POST', '/v1/facebook-login');
    expect(started.statusCode).toBe(409);
    expect(started.json()).toMatchObject({ code: 'FACEBOOK_LOGIN_NOT_CONFIGURED' });
    expect(started.json<{ detail: string }>().detail).toContain('FACEBOOK_LOGIN_REDIRECT_URI');
  });
});
