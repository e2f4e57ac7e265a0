import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findFacebookLogin, listAdAccounts } from '@canvas/db';
import { AdAccountView, adAccountView } from '../ad-account-view.js';
import type { ApiDeps } from '../deps.js';
import { bindingCookie, clearBindingCookie, readBindingCookie, setBindingCookie } from '../facebook-login-cookie.js';
import {
  connectPicked,
  finishCallback,
  loginLifetimeMs,
  loginSettings,
  purgeLoginTokens,
  startLogin,
} from '../facebook-login.service.js';
import { apiError, notFound } from '../problem.js';
import { requestExamples } from '../request-examples.js';
import { IdParams, IsoDate, iso, problems } from '../schemas.js';
import { MetaAccountId } from './ad-account.routes.js';

const LoginView = z.object({
  id: z.uuid(),
  status: z
    .enum(['started', 'authorized', 'denied', 'failed', 'connected'])
    .describe('started: waiting for the callback; authorized: pick accounts to connect; connected: done'),
  failure: z.string().nullable(),
  expiresAt: IsoDate,
  tokenExpiresAt: IsoDate.nullable().describe("When the login's long-lived token expires"),
  adAccounts: z
    .array(z.object({ adAccountId: z.string(), name: z.string(), connected: z.boolean() }))
    .describe('Every ad account the token reaches (Meta: /me/adaccounts)'),
});

const loginLifetimeSeconds = loginLifetimeMs / 1000;

const callbackPage = (title: string, text: string) =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body><h1>${title}</h1><p>${text}</p></body></html>`;

// a page is a string, which fastify sends as it is; the route's JSON schema is for the other answer
const sendPage = (reply: FastifyReply, status: number, html: string) =>
  reply.code(status).type('text/html; charset=utf-8').send(html);

/** Facebook Login: start, the callback Meta redirects to, the accounts offered, connecting the ones picked. */
export const facebookLoginRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/facebook-login',
      {
        schema: {
          tags: ['ad accounts'],
          summary: 'Start connecting ad accounts with Facebook Login',
          description: [
            'Answers the Facebook dialog URL to open in the browser (scope ads_management) and sets an HttpOnly',
            "cookie that binds the login to this browser: the callback exchanges Meta's code only when the same",
            'browser comes back with it, so a link opened anywhere else connects nothing. Start it from the console',
            '(same origin), or from a client that carries the cookie into the browser that opens the URL. Then GET',
            'this login for the ad accounts it reaches and POST …/connect with those to connect.',
          ].join(' '),
          response: {
            201: z
              .object({ id: z.uuid(), authorizationUrl: z.string(), expiresAt: IsoDate })
              .describe('With Set-Cookie: canvas-facebook-login (__Host-canvas-facebook-login over https), HttpOnly'),
            ...problems(409),
          },
        },
      },
      async (request, reply) => {
        const { binding, ...started } = await startLogin(deps, request.caller.workspaceId, request.caller.label);
        const cookie = bindingCookie(loginSettings(deps).redirectUri);
        void reply.header('set-cookie', setBindingCookie(cookie, binding, loginLifetimeSeconds));
        return reply.code(201).send({ ...started, expiresAt: started.expiresAt.toISOString() });
      },
    );

    app.get(
      '/v1/facebook-login/:id',
      {
        schema: {
          tags: ['ad accounts'],
          summary: 'A Facebook Login and the ad accounts it reaches',
          params: IdParams,
          response: { 200: LoginView, ...problems(404) },
        },
      },
      async (request) => {
        await purgeLoginTokens(deps);
        const login = await findFacebookLogin(deps.db, request.caller.workspaceId, request.params.id);
        if (!login) throw notFound(`Facebook Login ${request.params.id}`);
        const connected = new Set((await listAdAccounts(deps.db, login.workspaceId)).map((a) => a.metaAccountId));
        return {
          id: login.id,
          status: login.status,
          failure: login.failure,
          expiresAt: login.expiresAt.toISOString(),
          tokenExpiresAt: iso(login.tokenExpiresAt),
          adAccounts: login.reachableAccounts.map((a) => ({
            adAccountId: `act_${a.id}`,
            name: a.name,
            connected: connected.has(a.id),
          })),
        };
      },
    );

    app.post(
      '/v1/facebook-login/:id/connect',
      {
        schema: {
          tags: ['ad accounts'],
          summary: 'Connect the picked ad accounts with the login’s token',
          description:
            'Each account is checked with Meta (terms accepted or not), then all are connected in one step; ' +
            'accounts already connected get the new token. The login is then used up.',
          params: IdParams,
          body: z
            .object({
              adAccountIds: z.array(MetaAccountId).min(1).max(100),
              defaultAdAccountId: MetaAccountId.optional(),
            })
            .strict()
            .meta({ examples: [requestExamples.facebookLoginConnect] }),
          response: { 200: z.object({ data: z.array(AdAccountView) }), ...problems(404, 409, 422, 502, 503) },
        },
      },
      async (request) => {
        await purgeLoginTokens(deps);
        const login = await findFacebookLogin(deps.db, request.caller.workspaceId, request.params.id);
        if (!login) throw notFound(`Facebook Login ${request.params.id}`);
        const accounts = await connectPicked(deps, login, request.caller, request.body);
        return { data: accounts.map((a) => adAccountView(a, deps.now())) };
      },
    );
  };

/**
 * The redirect URI registered in the Meta app; the browser arrives without an API key: the state names
 * the login, the binding cookie proves this is the browser that started it.
 */
export const facebookLoginCallback =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/facebook-login/callback',
      {
        schema: {
          tags: ['ad accounts'],
          summary: 'Where Meta sends the browser back (not called by scripts)',
          description: [
            'Needs the binding cookie set by POST /v1/facebook-login in the same browser; without it the login ends',
            "as failed, Meta's code is not exchanged and nothing can be connected (403 FACEBOOK_LOGIN_NOT_BOUND).",
          ].join(' '),
          security: [],
          querystring: z
            .object({
              state: z.string().max(200).optional(),
              code: z.string().max(2000).optional(),
              error: z.string().max(200).optional(),
              error_code: z.string().max(50).optional(),
              error_description: z.string().max(500).optional(),
              error_reason: z.string().max(200).optional(),
            })
            .strip(),
          response: {
            200: z
              .object({
                id: z.uuid(),
                status: z.enum(['authorized', 'denied', 'failed']),
                adAccounts: z.number().int(),
              })
              .describe(
                'For a browser (Accept: text/html) a short page instead, or a redirect to FACEBOOK_LOGIN_RETURN_URL',
              ),
            ...problems(403, 409),
          },
        },
      },
      async (request, reply) => {
        const cookie = bindingCookie(loginSettings(deps).redirectUri);
        const outcome = await finishCallback(deps, request.query, readBindingCookie(cookie, request.headers.cookie));
        // a browser gets a page; anything else the API's usual JSON
        const browser = (request.headers.accept ?? '').includes('text/html');
        if (outcome.kind === 'not_bound') {
          deps.logger.warn(
            { facebookLogin: outcome.login.id },
            'Facebook Login came back in a browser that did not start it',
          );
          const detail =
            'This login was started in another browser, so nothing was connected. ' +
            'Whoever sent you this link cannot use your Facebook account through it.';
          if (!browser) throw apiError('FACEBOOK_LOGIN_NOT_BOUND', detail);
          return sendPage(reply, 403, callbackPage('This login was started elsewhere', detail));
        }
        if (outcome.kind === 'unknown_state') {
          const detail =
            'This login link was used already, has expired, or was not started here. ' +
            'Start again from the console or POST /v1/facebook-login.';
          if (!browser) throw apiError('FACEBOOK_LOGIN_STATE_INVALID', detail);
          return sendPage(reply, 400, callbackPage('This login link is not valid', detail));
        }
        // the binding has served: this browser's cookie names no login any more
        void reply.header('set-cookie', clearBindingCookie(cookie));
        deps.logger.info(
          { facebookLogin: outcome.login.id, status: outcome.status, adAccounts: outcome.accounts },
          'Facebook Login came back',
        );
        const returnUrl = deps.facebookLogin?.returnUrl;
        if (returnUrl) {
          const back = new URL(returnUrl);
          back.searchParams.set('facebookLogin', outcome.login.id);
          return reply.redirect(back.toString(), 303);
        }
        const text =
          outcome.status === 'authorized'
            ? `Facebook Login finished: ${outcome.accounts} ad account(s) reachable. ` +
              `Pick the ones to connect: GET /v1/facebook-login/${outcome.login.id}, ` +
              `then POST /v1/facebook-login/${outcome.login.id}/connect.`
            : `Facebook Login ${outcome.status}. GET /v1/facebook-login/${outcome.login.id} says why.`;
        if (!browser) return { id: outcome.login.id, status: outcome.status, adAccounts: outcome.accounts };
        return sendPage(reply, 200, callbackPage('Facebook Login', text));
      },
    );
  };
