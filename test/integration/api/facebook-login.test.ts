import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createWorkspaceWithKey } from '@canvas/api';
import { purgeExpiredLoginTokens } from '@canvas/db';
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

  /** Starts a login as the console does: the answer's Set-Cookie is the binding of the browser that started it. */
  const start = async (apiKey = h.apiKey) => {
    const started = await h.app.inject({
      method: 'POST',
      url: '/v1/facebook-login',
      headers: { authorization: `Bearer ${apiKey}` },
    });
    h.bodies.push(started.body);
    expect(started.statusCode).toBe(201);
    const { id, authorizationUrl } = started.json<{ id: string; authorizationUrl: string }>();
    const setCookie = String(started.headers['set-cookie']);
    return { id, authorizationUrl: new URL(authorizationUrl), setCookie, cookie: setCookie.split(';')[0] ?? '' };
  };

  /** A browser opening the dialog URL over HTTP; the sandbox consents as its login person and redirects back. */
  const dialog = async (authorizationUrl: URL) => {
    const answer = await fetch(authorizationUrl, { redirect: 'manual' });
    expect(answer.status).toBe(302);
    const back = new URL(answer.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(facebookLoginRedirectUri);
    return back;
  };

  /** The redirect arriving at the API, from a browser holding `cookie` (or none). */
  const arrive = (back: URL, cookie: string | undefined, accept = 'text/html,application/xhtml+xml') =>
    h.app.inject({
      method: 'GET',
      url: `${back.pathname}${back.search}`,
      headers: { accept, ...(cookie === undefined ? {} : { cookie }) },
    });

  /** Starts a login and plays the starter's browser: the dialog, then the callback with the binding cookie. */
  const signIn = async () => {
    const { id, authorizationUrl, cookie, setCookie } = await start();
    const back = await dialog(authorizationUrl);
    const callback = await arrive(back, cookie);
    return { id, authorizationUrl, back, callback, setCookie, cookie };
  };

  const userTokenCount = () => [...h.sandbox.state.tokens.values()].filter((t) => t.type === 'USER').length;

  it(
    'asks for ads_management with a fresh state, exchanges the code for a long-lived ' +
      'token and lists every reachable account',
    async () => {
      const { id, authorizationUrl, back, callback, setCookie, cookie } = await signIn();
      expect(setCookie).toMatch(
        /^canvas-facebook-login=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=1800; HttpOnly; SameSite=Lax$/,
      );
      // the binding has served: the callback removes it from the browser
      expect(String(callback.headers['set-cookie'])).toMatch(/^canvas-facebook-login=; Path=\/; Max-Age=0;/);
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
      const replay = await arrive(back, cookie, 'application/json');
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
    },
  );

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

  it('connects nothing when a stranger’s browser finishes the link: no code exchanged, no token kept', async () => {
    // workspace A starts a login and sends the dialog URL to someone whose Meta account has approved the app
    const mine = await start();
    h.sandbox.state.loginPerson = { name: 'Stranger', adAccounts: [unreachable], declines: false };
    const tokensBefore = userTokenCount();
    const back = await dialog(mine.authorizationUrl);
    // the stranger's browser holds no binding, or one of its own login (another workspace's)
    const { apiKey: strangerKey } = await createWorkspaceWithKey(h.database.db, 'Stranger');
    const theirs = await start(strangerKey);
    const page = await arrive(back, theirs.cookie);
    h.sandbox.state.loginPerson = { name: 'Designer', adAccounts: [...offered], declines: false };
    expect(page.statusCode).toBe(403);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.body).toContain('started in another browser');
    expect(userTokenCount()).toBe(tokensBefore);

    const login = (await h.call('GET', `/v1/facebook-login/${mine.id}`)).json<LoginAnswer>();
    expect(login).toMatchObject({ status: 'failed', tokenExpiresAt: null, adAccounts: [] });
    expect(login.failure).toContain('did not start it');
    const row = await h.database.db
      .selectFrom('facebook_logins')
      .select(['token_ciphertext', 'reachable_accounts'])
      .where('id', '=', mine.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ token_ciphertext: null, reachable_accounts: null });
    const connect = await h.call('POST', `/v1/facebook-login/${mine.id}/connect`, { adAccountIds: [unreachable] });
    expect(connect.statusCode).toBe(409);
    expect(connect.json()).toMatchObject({ code: 'FACEBOOK_LOGIN_NOT_AUTHORIZED' });
    expect(
      (await h.call('GET', '/v1/ad-accounts')).json<{ data: { adAccountId: string }[] }>().data,
    ).not.toContainEqual(expect.objectContaining({ adAccountId: `act_${unreachable}` }));

    // the link is spent: not even the starter's browser can finish it now
    const late = await arrive(back, mine.cookie);
    expect(late.statusCode).toBe(400);
    expect(userTokenCount()).toBe(tokensBefore);
  });

  it('answers a script without the binding with FACEBOOK_LOGIN_NOT_BOUND', async () => {
    const { authorizationUrl } = await start();
    const back = await dialog(authorizationUrl);
    const answer = await arrive(back, undefined, 'application/json');
    expect(answer.statusCode).toBe(403);
    expect(answer.json()).toMatchObject({ code: 'FACEBOOK_LOGIN_NOT_BOUND' });
  });

  it('drops the token of an authorized login nobody connected before it expired', async () => {
    const { id } = await signIn();
    expect((await h.call('GET', `/v1/facebook-login/${id}`)).json<LoginAnswer>().status).toBe('authorized');
    await h.database.db
      .updateTable('facebook_logins')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute();
    const login = (await h.call('GET', `/v1/facebook-login/${id}`)).json<LoginAnswer>();
    expect(login).toMatchObject({ status: 'failed', failure: expect.stringContaining('token was dropped') });
    const row = await h.database.db
      .selectFrom('facebook_logins')
      .select('token_ciphertext')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.token_ciphertext).toBeNull();
    const connect = await h.call('POST', `/v1/facebook-login/${id}/connect`, { adAccountIds: [offered[1]] });
    expect(connect.statusCode).toBe(409);
  });

  it('drops expired tokens without any call, through the purge the API process runs', async () => {
    const { id } = await signIn();
    await h.database.db
      .updateTable('facebook_logins')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute();
    expect(await purgeExpiredLoginTokens(h.database.db, new Date())).toBe(1);
    expect(await purgeExpiredLoginTokens(h.database.db, new Date())).toBe(0);
  });

  it('keeps logins to their workspace', async () => {
    const { id } = await signIn();
    const { apiKey } = await createWorkspaceWithKey(h.database.db, 'Other');
    expect((await h.call('GET', `/v1/facebook-login/${id}`, undefined, apiKey)).statusCode).toBe(404);
    const connect = await h.call('POST', `/v1/facebook-login/${id}/connect`, { adAccountIds: [offered[1]] }, apiKey);
    expect(connect.statusCode).toBe(404);
  });

  it('never lets a token reach a URL, an answer, a log line or the database in clear', async () => {
    const userTokens = [...h.sandbox.state.tokens.values()].filter((t) => t.type === 'USER').map((t) => t.token);
    expect(userTokens.length).toBeGreaterThanOrEqual(5);
    const stored = await h.database.db.selectFrom('ad_accounts').select(['token_ciphertext']).execute();
    const logins = await h.database.db.selectFrom('facebook_logins').selectAll().execute();
    const seen = [
      ...h.bodies,
      ...h.logs,
      JSON.stringify(logins),
      ...stored.map((r) => r.token_ciphertext.toString('latin1')),
    ];
    for (const token of userTokens) for (const text of seen) expect(text).not.toContain(token);
    // the login row keeps no token once its accounts are connected, and never the state or the binding itself
    expect(logins.every((l) => l.status !== 'connected' || l.token_ciphertext === null)).toBe(true);
    expect(logins.every((l) => /^[0-9a-f]{64}$/.test(l.state_hash))).toBe(true);
    expect(logins.every((l) => l.binding_hash !== null && /^[0-9a-f]{64}$/.test(l.binding_hash))).toBe(true);
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
