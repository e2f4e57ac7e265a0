import type { FastifyInstance } from 'fastify';
import { escapeHtml } from './html.js';
import { loginErrors } from './login-errors.js';
import { codeLifetimeMs, longTokenSeconds, newCode, shortTokenSeconds } from './login-state.js';
import { numericId, type SandboxState, type SandboxToken } from './state.js';
import { errors, type GraphFailure } from './graph-errors.js';

type Params = Record<string, unknown>;
type Answer = GraphFailure | { status: 200; body: unknown };

/**
 * The login dialog (www.facebook.com/{version}/dialog/oauth). Meta asks the person to consent; the
 * sandbox consents at once as its login person, or declines when told to, and redirects back.
 */
export function registerLoginDialog(app: FastifyInstance, state: SandboxState): void {
  app.get('/:version/dialog/oauth', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const redirectUri = query.redirect_uri;
    if (query.client_id !== state.app.appId || !redirectUri || !URL.canParse(redirectUri)) {
      return reply
        .code(400)
        .type('text/html')
        .send(
          '<!DOCTYPE html><html><body><h1>Invalid App ID or redirect URI</h1>' +
            `<p>${escapeHtml(query.client_id ?? '')}</p></body></html>`,
        );
    }
    const back = new URL(redirectUri);
    if (query.state !== undefined) back.searchParams.set('state', query.state);
    const person = state.loginPerson;
    if (person.declines) {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_code', '200');
      back.searchParams.set('error_description', 'Permissions error');
      back.searchParams.set('error_reason', 'user_denied');
      return reply.redirect(back.toString(), 302);
    }
    const code = newCode();
    state.authorizationCodes.set(code, {
      code,
      redirectUri,
      scopes: (query.scope ?? 'public_profile').split(/[ ,]+/).filter(Boolean),
      adAccounts: person.adAccounts,
      userId: numericId(15),
      issuedAt: state.clock.now(),
      used: false,
    });
    back.searchParams.set('code', code);
    return reply.redirect(back.toString(), 302);
  });
}

/** GET /oauth/access_token: a code for a short-lived token, or a short-lived token for a long-lived one. */
export function exchangeToken(state: SandboxState, params: Params): Answer {
  if (params.client_id !== state.app.appId) return loginErrors.badApp();
  if (params.client_secret !== state.app.appSecret) return loginErrors.badSecret();
  const nowSeconds = Math.floor(state.clock.now() / 1000);
  if (params.grant_type === 'fb_exchange_token') {
    const input = typeof params.fb_exchange_token === 'string' ? state.tokens.get(params.fb_exchange_token) : undefined;
    if (!input || input.type !== 'USER' || state.statusOf(input) !== 'valid') return loginErrors.notExchangeable();
    const token = state.createToken({
      type: 'USER',
      adAccounts: input.adAccounts,
      scopes: input.scopes,
      userId: input.userId,
      expiresAt: nowSeconds + longTokenSeconds,
    });
    return { status: 200, body: { access_token: token.token, token_type: 'bearer', expires_in: longTokenSeconds } };
  }
  const grant = typeof params.code === 'string' ? state.authorizationCodes.get(params.code) : undefined;
  if (!grant) return loginErrors.badCode();
  if (grant.used) return loginErrors.codeUsed();
  if (state.clock.now() - grant.issuedAt > codeLifetimeMs) return loginErrors.codeExpired();
  if (params.redirect_uri !== grant.redirectUri) return loginErrors.redirectMismatch();
  grant.used = true;
  const token = state.createToken({
    type: 'USER',
    adAccounts: grant.adAccounts,
    scopes: grant.scopes,
    userId: grant.userId,
    expiresAt: nowSeconds + shortTokenSeconds,
  });
  return { status: 200, body: { access_token: token.token, token_type: 'bearer', expires_in: shortTokenSeconds } };
}

/** GET /me/adaccounts: every ad account the token's user can reach. */
export function reachableAccounts(state: SandboxState, token: SandboxToken, params: Params): Answer {
  const reachable = [...state.accounts.values()].filter((account) => state.canUse(token, account.id));
  const limit = Math.min(500, Math.max(1, Number(params.limit ?? 25) || 25));
  const start = typeof params.after === 'string' ? Number(Buffer.from(params.after, 'base64url').toString()) || 0 : 0;
  if (start > reachable.length) return errors.invalidParameter('Invalid cursor');
  const page = reachable.slice(start, start + limit);
  const next = start + limit < reachable.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
  return {
    status: 200,
    body: {
      data: page.map((account) => ({
        id: `act_${account.id}`,
        account_id: account.id,
        name: account.name,
        account_status: 1,
      })),
      paging: {
        cursors: { before: Buffer.from(String(start)).toString('base64url'), after: next ?? '' },
        ...(next ? { next: `/me/adaccounts?after=${next}&limit=${limit}` } : {}),
      },
    },
  };
}
