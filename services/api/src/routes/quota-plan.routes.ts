import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findAdAccount, findDryRun } from '@canvas/db';
import type { ApiDeps } from '../deps.js';
import { conflict, notFound } from '../problem.js';
import { QuotaPlanView, quotaPlan } from '../quota-plan.js';
import { IdParams, problems } from '../schemas.js';

/** The quota planner: an ad account's load on Meta's quota, now and with a draft added. */
export const quotaPlanRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/ad-accounts/:id/quota-plan',
      {
        schema: {
          tags: ['ad accounts'],
          summary: "An ad account's load on Meta's quota, and the forecast with a draft added",
          description:
            'Users an hour the running canvases handed to the sync lately and the requests they took, ' +
            "Meta's quota for the account as the sync applies it, the pending backlog, the projected sync " +
            "delay and whether users would risk the sync's retry window. With `dryRunId`, the load a finished " +
            "dry run projects is added (its canvas's own recent load taken out: the draft replaces it).",
          params: IdParams,
          querystring: z
            .object({
              dryRunId: z.uuid().optional(),
              hours: z.coerce.number().int().min(1).max(24).default(1).describe('How far back "recently" looks'),
            })
            .strict(),
          response: { 200: QuotaPlanView, ...problems(404, 409) },
        },
      },
      async (request) => {
        const { workspaceId } = request.caller;
        const account = await findAdAccount(deps.db, workspaceId, request.params.id);
        if (!account) throw notFound(`ad account ${request.params.id}`);
        const { dryRunId, hours } = request.query;
        const dryRun = dryRunId === undefined ? undefined : await findDryRun(deps.db, workspaceId, dryRunId);
        if (dryRunId !== undefined && !dryRun) throw notFound(`dry run ${dryRunId}`);
        if (dryRun && dryRun.status !== 'done')
          throw conflict(
            'DRY_RUN_NOT_DONE',
            `dry run ${dryRun.id} is ${dryRun.status}; its load is known once it is done`,
          );
        return quotaPlan(deps, account, { hours, dryRun });
      },
    );
  };
