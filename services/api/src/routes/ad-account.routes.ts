import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  addCounters,
  counterShards,
  deleteAdAccount,
  errorPendingOfConnection,
  findAdAccount,
  findAdAccountByMetaId,
  findDefaultAdAccount,
  insertAdAccount,
  liveCanvasesUsingAdAccount,
  listAdAccounts,
  setDefaultAdAccount,
  updateAdAccountToken,
  adAccountTokenRow,
} from '@canvas/db';
import { bareAdAccountId } from '@canvas/meta-graph';
import { checkConnection } from '../ad-account.service.js';
import { AdAccountView, adAccountView as view } from '../ad-account-view.js';
import type { ApiDeps } from '../deps.js';
import { requestExamples } from '../request-examples.js';
import { conflict, notFound } from '../problem.js';
import { IdParams, problems } from '../schemas.js';
import { metaListingSchema, openMetaListing } from '../meta-listing.js';

export const MetaAccountId = z.string().regex(/^(act_)?\d{1,30}$/, 'a Meta ad account id such as act_1234567890');
// Meta's tokens are printable ASCII; anything else could not even be sent in a header
const AccessToken = z
  .string()
  .min(10)
  .max(2000)
  .regex(/^[\x21-\x7e]+$/, 'an access token is printable ASCII without spaces')
  .describe('A Meta access token with ads_management; stored encrypted, never returned');

// counter rows the API writes, apart from the runner's and the sync's

/** Meta ad-account connections, after Braze's and CleverTap's Facebook settings pages. */
export const adAccountRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/ad-accounts',
      {
        schema: {
          tags: ['ad accounts'],
          summary: 'Connect a Meta ad account',
          description:
            'Checks the token and the account with Meta, then stores the token encrypted. ' +
            'The first account becomes the default.',
          body: z
            .object({ adAccountId: MetaAccountId, accessToken: AccessToken, makeDefault: z.boolean().optional() })
            .strict()
            .meta({ examples: [requestExamples.connectAdAccount] }),
          response: { 201: AdAccountView, ...problems(409, 422, 502, 503) },
        },
      },
      async (request, reply) => {
        const { workspaceId, label } = request.caller;
        const metaAccountId = bareAdAccountId(request.body.adAccountId);
        if (await findAdAccountByMetaId(deps.db, workspaceId, metaAccountId)) {
          throw conflict(
            'AD_ACCOUNT_EXISTS',
            `act_${metaAccountId} is already connected; use PUT /v1/ad-accounts/{id}/token to reconnect it`,
          );
        }
        const check = await checkConnection(deps.directory, request.body.accessToken, metaAccountId);
        const account = await deps.db.transaction().execute(async (tx) => {
          const hasDefault = Boolean(await findDefaultAdAccount(tx, workspaceId));
          const makeDefault = request.body.makeDefault === true || !hasDefault;
          const id = randomUUID();
          const created = await insertAdAccount(tx, {
            id,
            workspaceId,
            metaAccountId,
            name: check.name,
            status: check.status,
            statusReason: check.reason,
            tokenExpiresAt: check.tokenExpiresAt,
            tokenCiphertext: deps.cipher.encrypt(request.body.accessToken, adAccountTokenRow({ workspaceId, id })),
            isDefault: false,
            addedBy: label,
            now: deps.now(),
          });
          if (makeDefault) await setDefaultAdAccount(tx, workspaceId, id);
          return { ...created, isDefault: makeDefault };
        });
        return reply.code(201).send(view(account, deps.now()));
      },
    );

    app.get(
      '/v1/ad-accounts',
      {
        schema: {
          tags: ['ad accounts'],
          summary: 'List connected ad accounts',
          response: { 200: z.object({ data: z.array(AdAccountView) }), ...problems() },
        },
      },
      async (request) => ({
        data: (await listAdAccounts(deps.db, request.caller.workspaceId)).map((a) => view(a, deps.now())),
      }),
    );

    app.get(
      '/v1/ad-accounts/:id',
      {
        schema: {
          tags: ['ad accounts'],
          summary: 'One ad account',
          params: IdParams,
          response: { 200: AdAccountView, ...problems(404) },
        },
      },
      async (request) => {
        const account = await findAdAccount(deps.db, request.caller.workspaceId, request.params.id);
        if (!account) throw notFound(`ad account ${request.params.id}`);
        return view(account, deps.now());
      },
    );

    app.put(
      '/v1/ad-accounts/:id/token',
      {
        schema: {
          tags: ['ad accounts'],
          summary: 'Reconnect with a new token',
          description: 'Users held Pending while the account was disconnected resume at once.',
          params: IdParams,
          body: z
            .object({ accessToken: AccessToken })
            .strict()
            .meta({ examples: [requestExamples.replaceToken] }),
          response: { 200: AdAccountView, ...problems(404, 422, 502, 503) },
        },
      },
      async (request) => {
        const { workspaceId } = request.caller;
        const account = await findAdAccount(deps.db, workspaceId, request.params.id);
        if (!account) throw notFound(`ad account ${request.params.id}`);
        const check = await checkConnection(deps.directory, request.body.accessToken, account.metaAccountId);
        const updated = await updateAdAccountToken(deps.db, workspaceId, account.id, {
          tokenCiphertext: deps.cipher.encrypt(request.body.accessToken, adAccountTokenRow(account)),
          status: check.status,
          statusReason: check.reason,
          name: check.name,
          tokenExpiresAt: check.tokenExpiresAt,
          now: deps.now(),
        });
        if (!updated) throw notFound(`ad account ${request.params.id}`);
        return view(updated, deps.now());
      },
    );

    app.post(
      '/v1/ad-accounts/:id/default',
      {
        schema: {
          tags: ['ad accounts'],
          summary: 'Make this the default ad account',
          params: IdParams,
          response: { 200: AdAccountView, ...problems(404) },
        },
      },
      async (request) => {
        const { workspaceId } = request.caller;
        const account = await deps.db.transaction().execute(async (tx) => {
          if (!(await setDefaultAdAccount(tx, workspaceId, request.params.id)))
            throw notFound(`ad account ${request.params.id}`);
          return findAdAccount(tx, workspaceId, request.params.id);
        });
        if (!account) throw notFound(`ad account ${request.params.id}`);
        return view(account, deps.now());
      },
    );

    app.delete(
      '/v1/ad-accounts/:id',
      {
        schema: {
          tags: ['ad accounts'],
          summary: 'Disconnect an ad account',
          description: 'Refused while a running or paused canvas sends to it.',
          params: IdParams,
          response: { 204: z.null(), ...problems(404, 409) },
        },
      },
      async (request, reply) => {
        const { workspaceId } = request.caller;
        await deps.db.transaction().execute(async (tx) => {
          const account = await findAdAccount(tx, workspaceId, request.params.id);
          if (!account) throw notFound(`ad account ${request.params.id}`);
          const users = await liveCanvasesUsingAdAccount(tx, workspaceId, account.id);
          if (users.length > 0)
            throw conflict('AD_ACCOUNT_IN_USE', `running or paused canvases send to this account: ${users.join(', ')}`);
          // users still waiting for this connection can never be sent: they end Errored, counted
          const now = deps.now();
          const errored = await errorPendingOfConnection(
            tx,
            account.id,
            {
              code: 'AD_ACCOUNT_REMOVED',
              message: 'the ad account was disconnected from the workspace',
              at: now.toISOString(),
            },
            now,
          );
          await addCounters(tx, errored, now, counterShards.api);
          await deleteAdAccount(tx, workspaceId, account.id);
        });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/v1/ad-accounts/:id/audiences',
      {
        schema: {
          tags: ['ad accounts'],
          summary: "The account's custom audiences, from Meta",
          ...metaListingSchema(
            z.object({
              id: z.string(),
              name: z.string().nullable(),
              approximateCount: z.number().int().nullable(),
              deliveryStatus: z.number().int().nullable(),
            }),
          ),
        },
      },
      async (request) => {
        const listing = await openMetaListing(deps, request.caller.workspaceId, request.params.id, request.query);
        const { data } = await deps.directory.listCustomAudiences(listing.token, listing.metaAccountId, listing.page);
        return {
          data: data.audiences.map((a) => ({
            id: a.id,
            name: a.name ?? null,
            approximateCount: a.approximateCountUpperBound ?? null,
            deliveryStatus: a.deliveryStatus?.code ?? null,
          })),
          next: data.after ?? null,
        };
      },
    );
  };
