import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addCounters, counterShards, findErasure, startErasure, type Erasure } from '@canvas/db';
import type { ApiDeps } from '../deps.js';
import type { ExpensiveWork } from '../expensive-work.js';
import { notFound } from '../problem.js';
import { requestExamples } from '../request-examples.js';
import { IdParams, IsoDate, iso, problems } from '../schemas.js';

const UserId = z.string().min(1).max(500);
const ErasureView = z.object({
  id: z.uuid(),
  userHash: z.string().describe("SHA-256 of workspace id, ':' and user id: the only way the erasure knows the user"),
  status: z
    .enum(['removing', 'completed'])
    .describe('removing: some Meta removals are not final yet; completed: all are, and nothing of the user is left'),
  requestedAt: IsoDate,
  requestedBy: z.string().describe('Label of the API key that asked'),
  completedAt: IsoDate.nullable(),
  deletedRows: z.record(z.string(), z.number().int()).describe('Rows deleted per table when the erasure started'),
  removals: z
    .array(
      z.object({
        adAccountId: z.string().describe('Meta ad account id, act_…'),
        audienceId: z.string(),
        status: z
          .enum(['pending', 'confirmed', 'not_synced', 'errored'])
          .describe('confirmed: Meta accepted the removal; errored: the sync gave up (lastError says why)'),
        confirmedAt: IsoDate.nullable(),
        lastError: z.object({ code: z.string(), message: z.string() }).passthrough().nullable(),
      }),
    )
    .describe('Every Meta audience this workspace ever added the user to'),
});
const ErasuresBody = z
  .object({ userIds: z.array(UserId).min(1).max(1000).describe('Users to erase (at most 1,000 per request)') })
  .strict()
  .meta({ examples: [requestExamples.erasures] });

const view = (e: Erasure) => ({
  id: e.id,
  userHash: e.userHash,
  status: e.status,
  requestedAt: e.requestedAt.toISOString(),
  requestedBy: e.requestedBy,
  completedAt: iso(e.completedAt),
  deletedRows: e.deletedRows,
  removals: e.removals.map((r) => ({
    adAccountId: `act_${r.metaAccountId}`,
    audienceId: r.audienceId,
    status: r.status,
    confirmedAt: iso(r.confirmedAt),
    lastError: (r.lastError as { code: string; message: string } | null) ?? null,
  })),
});

/** Erasure of users (GDPR art. 17, CCPA delete): from every Meta audience, and from this service. */
export const erasureRoutes =
  (deps: ApiDeps, expensive: ExpensiveWork): FastifyPluginAsyncZod =>
  async (app) => {
    const settings = deps.erasure ?? { retryWindowMs: 13 * 3_600_000, suppressionMs: 30 * 86_400_000 };
    const erase = async (workspaceId: string, userId: string, requestedBy: string) =>
      deps.db.transaction().execute(async (tx) => {
        const now = deps.now();
        const started = await startErasure(tx, {
          id: randomUUID(),
          workspaceId,
          userId,
          requestedBy,
          now,
          retryWindowMs: settings.retryWindowMs,
          suppressUntil: new Date(now.getTime() + settings.suppressionMs),
        });
        await addCounters(tx, started.counters, now, counterShards.api);
        return started;
      });

    app.post(
      '/v1/users/:userId/erasure',
      {
        schema: {
          tags: ['privacy'],
          summary: 'Erase a user',
          description:
            'Removes the user from every Meta audience this workspace added them to ' +
            '(through the audience sync: same quota, batching and retries) and deletes their profile, ' +
            'behaviour history, journeys, timers and pending hand-offs. ' +
            'Their events are skipped for ERASURE_SUPPRESSION (30 days). ' +
            'Asking again while one is under way answers with it (200).',
          params: z.object({ userId: UserId }).strict(),
          response: { 200: ErasureView, 202: ErasureView, ...problems() },
        },
      },
      async (request, reply) => {
        const { workspaceId, label } = request.caller;
        const { erasure, created } = await erase(workspaceId, request.params.userId, label);
        return reply.code(created ? 202 : 200).send(view(erasure));
      },
    );

    app.post(
      '/v1/erasures',
      {
        schema: {
          tags: ['privacy'],
          summary: 'Erase many users',
          description: 'The bulk form of POST /v1/users/{userId}/erasure: one erasure per user, in the order given.',
          body: ErasuresBody,
          response: { 202: z.object({ data: z.array(ErasureView) }), ...problems(429, 503) },
        },
      },
      async (request, reply) => {
        const { workspaceId, label } = request.caller;
        // up to 1,000 transactions: one bulk erasure at a time per workspace's share
        const data = await expensive(workspaceId, async () => {
          const erased = [];
          for (const userId of new Set(request.body.userIds))
            erased.push(view((await erase(workspaceId, userId, label)).erasure));
          return erased;
        });
        return reply.code(202).send({ data });
      },
    );

    app.get(
      '/v1/erasures/:id',
      {
        schema: {
          tags: ['privacy'],
          summary: 'An erasure and its removals',
          params: IdParams,
          response: { 200: ErasureView, ...problems(404) },
        },
      },
      async (request) => {
        const erasure = await findErasure(deps.db, request.caller.workspaceId, request.params.id);
        if (!erasure) throw notFound(`erasure ${request.params.id}`);
        return view(erasure);
      },
    );
  };
