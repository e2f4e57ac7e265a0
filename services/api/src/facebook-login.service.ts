import { randomBytes, randomUUID } from 'node:crypto';
import {
  adAccountTokenRow,
  claimStartedLogin,
  facebookLoginTokenRow,
  finishLogin,
  findAdAccountByMetaId,
  findDefaultAdAccount,
  insertAdAccount,
  insertFacebookLogin,
  markLoginConnected,
  purgeExpiredLoginTokens,
  setDefaultAdAccount,
  updateAdAccountToken,
  type AdAccount,
  type FacebookLogin,
} from '@canvas/db';
import { bareAdAccountId, isGraphApiError } from '@canvas/meta-graph';
import { checkConnection, type ConnectionCheck } from './ad-account.service.js';
import type { ApiDeps, FacebookLoginSettings } from './deps.js';
import { hashSecret, secretMatches } from './facebook-login-cookie.js';
import { apiError } from './problem.js';

/** How long a started login waits for the callback, and an authorized one for the designer's pick. */
export const loginLifetimeMs = 30 * 60_000;
/** How often the API process drops the tokens of authorized logins left unconnected past their expiry. */
export const loginTokenPurgeIntervalMs = 60_000;
const scopes = 'ads_management,ads_read';

const secret = () => randomBytes(32).toString('base64url');

export function loginSettings(deps: ApiDeps): FacebookLoginSettings {
  if (!deps.facebookLogin)
    throw apiError(
      'FACEBOOK_LOGIN_NOT_CONFIGURED',
      'set META_APP_ID, META_APP_SECRET and FACEBOOK_LOGIN_REDIRECT_URI to use Facebook Login; ' +
        'or connect with a token (POST /v1/ad-accounts)',
    );
  return deps.facebookLogin;
}

/** Drops the tokens of authorized logins nobody connected in time (each login call and a timer run it). */
export const purgeLoginTokens = (deps: ApiDeps): Promise<number> => purgeExpiredLoginTokens(deps.db, deps.now());

/**
 * A new login: the dialog URL carrying a fresh state, and a binding secret for the starting browser's
 * cookie; only the hashes of both are kept.
 */
export async function startLogin(deps: ApiDeps, workspaceId: string, startedBy: string) {
  const settings = loginSettings(deps);
  await purgeLoginTokens(deps);
  const state = secret();
  const binding = secret();
  const id = randomUUID();
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + loginLifetimeMs);
  await insertFacebookLogin(deps.db, {
    id,
    workspaceId,
    stateHash: hashSecret(state),
    bindingHash: hashSecret(binding),
    redirectUri: settings.redirectUri,
    startedBy,
    now,
    expiresAt,
  });
  const url = new URL(settings.dialogUrl);
  url.searchParams.set('client_id', settings.appId);
  url.searchParams.set('redirect_uri', settings.redirectUri);
  url.searchParams.set('state', state);
  url.searchParams.set('scope', scopes);
  url.searchParams.set('response_type', 'code');
  return { id, authorizationUrl: url.toString(), expiresAt, binding };
}

export type CallbackOutcome =
  | { kind: 'unknown_state' }
  | { kind: 'not_bound'; login: FacebookLogin }
  | { kind: 'finished'; login: FacebookLogin; status: 'authorized' | 'denied' | 'failed'; accounts: number };

/**
 * The redirect back from Meta: the state is taken once (a replay finds nothing); only in the browser
 * that started the login (its binding cookie) is the code exchanged for a long-lived token, kept
 * encrypted, and the ad accounts it reaches listed. Anywhere else the login ends and Meta's code is left unused.
 */
export async function finishCallback(
  deps: ApiDeps,
  query: { state?: string | undefined; code?: string | undefined; error?: string | undefined },
  binding: string | undefined,
): Promise<CallbackOutcome> {
  const settings = loginSettings(deps);
  await purgeLoginTokens(deps);
  if (!query.state) return { kind: 'unknown_state' };
  const login = await claimStartedLogin(deps.db, hashSecret(query.state), deps.now());
  if (!login) return { kind: 'unknown_state' };
  if (!secretMatches(binding, login.bindingHash)) {
    const failure = 'finished in a browser that did not start it; nothing was exchanged or connected';
    await finishLogin(deps.db, login.id, { status: 'failed', failure }, deps.now());
    return { kind: 'not_bound', login };
  }
  if (query.error || !query.code) {
    const failure = query.error === 'access_denied' ? 'the person declined on Facebook' : 'Meta sent no code';
    await finishLogin(deps.db, login.id, { status: 'denied', failure }, deps.now());
    return { kind: 'finished', login, status: 'denied', accounts: 0 };
  }
  try {
    const short = await deps.directory.exchangeCode(settings, query.code, login.redirectUri);
    const long = await deps.directory.longLivedToken(settings, short.accessToken);
    const accounts = await deps.directory.reachableAdAccounts(long.accessToken);
    const now = deps.now();
    await finishLogin(
      deps.db,
      login.id,
      {
        status: 'authorized',
        tokenCiphertext: deps.cipher.encrypt(long.accessToken, facebookLoginTokenRow(login)),
        tokenExpiresAt: long.expiresIn === undefined ? null : new Date(now.getTime() + long.expiresIn * 1000),
        accounts: accounts.map((a) => ({ id: a.id, name: a.name })),
      },
      now,
    );
    return { kind: 'finished', login, status: 'authorized', accounts: accounts.length };
  } catch (error) {
    if (!isGraphApiError(error)) throw error;
    await finishLogin(
      deps.db,
      login.id,
      { status: 'failed', failure: `Meta refused the code: ${error.message}` },
      deps.now(),
    );
    return { kind: 'finished', login, status: 'failed', accounts: 0 };
  }
}

/**
 * Connects the picked accounts with the login's token, in one transaction once Meta has checked
 * each: new ones are added, ones already connected get the new token (a reconnect).
 */
export async function connectPicked(
  deps: ApiDeps,
  login: FacebookLogin,
  caller: { workspaceId: string; label: string },
  pick: { adAccountIds: string[]; defaultAdAccountId?: string | undefined },
): Promise<AdAccount[]> {
  const now = deps.now();
  if (login.status !== 'authorized' || !login.tokenCiphertext || login.expiresAt <= now)
    throw apiError(
      'FACEBOOK_LOGIN_NOT_AUTHORIZED',
      login.status === 'connected'
        ? 'this login was already used to connect accounts; start a new one'
        : `this login is ${login.expiresAt <= now ? 'expired' : login.status}; start a new one`,
    );
  const ids = pick.adAccountIds.map(bareAdAccountId);
  const offered = new Set(login.reachableAccounts.map((a) => a.id));
  const notOffered = ids.flatMap((id, i) =>
    offered.has(id)
      ? []
      : [{ code: 'not_offered', path: `/body/adAccountIds/${i}`, message: `this login cannot reach act_${id}` }],
  );
  const defaultId = pick.defaultAdAccountId === undefined ? undefined : bareAdAccountId(pick.defaultAdAccountId);
  if (defaultId !== undefined && !ids.includes(defaultId))
    notOffered.push({ code: 'not_picked', path: '/body/defaultAdAccountId', message: 'pick it in adAccountIds too' });
  if (notOffered.length > 0) throw apiError('AD_ACCOUNT_NOT_OFFERED', `${notOffered.length} problem(s)`, notOffered);

  const token = deps.cipher.decrypt(login.tokenCiphertext, facebookLoginTokenRow(login));
  const checks: { id: string; check: ConnectionCheck }[] = [];
  for (const id of new Set(ids)) checks.push({ id, check: await checkConnection(deps.directory, token, id) });
  const connected = await deps.db.transaction().execute(async (tx) => {
    if (!(await markLoginConnected(tx, login.id, now)))
      throw apiError('FACEBOOK_LOGIN_NOT_AUTHORIZED', 'this login was used meanwhile; start a new one');
    const accounts: AdAccount[] = [];
    for (const { id, check } of checks) {
      const existing = await findAdAccountByMetaId(tx, caller.workspaceId, id);
      const accountId = existing?.id ?? randomUUID();
      const change = {
        tokenCiphertext: deps.cipher.encrypt(
          token,
          adAccountTokenRow({ workspaceId: caller.workspaceId, id: accountId }),
        ),
        status: check.status,
        statusReason: check.reason,
        name: check.name,
        tokenExpiresAt: check.tokenExpiresAt ?? login.tokenExpiresAt,
        now,
      };
      const account = existing
        ? await updateAdAccountToken(tx, caller.workspaceId, existing.id, change)
        : await insertAdAccount(tx, {
            ...change,
            id: accountId,
            workspaceId: caller.workspaceId,
            metaAccountId: id,
            isDefault: false,
            addedBy: `${caller.label} (Facebook Login)`,
          });
      if (account) accounts.push(account);
    }
    const makeDefault =
      defaultId ?? (!(await findDefaultAdAccount(tx, caller.workspaceId)) ? accounts[0]?.metaAccountId : undefined);
    const chosen = accounts.find((a) => a.metaAccountId === makeDefault);
    if (chosen) await setDefaultAdAccount(tx, caller.workspaceId, chosen.id);
    return accounts.map((a) => ({ ...a, isDefault: chosen ? a.id === chosen.id : a.isDefault }));
  });
  return connected;
}
