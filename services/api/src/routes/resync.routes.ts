import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { StepId } from '@canvas/canvas';
import { findCanvas, listResyncs } from '@canvas/db';
import type { ApiDeps } from '../deps.js';
import { notFound } from '../problem.js';
import { requestResync } from '../resync-request.js';
import { problems } from '../schemas.js';
import { ResyncView, resyncExample, resyncView } from './resync.schemas.js';

const StepParams = z.object({ id: z.uuid(), stepId: StepId }).strict();

/** Resyncs of a following step's audience: ask for one, and read them. */
export const resyncRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/canvases/:id/steps/:stepId/resync',
      {
        schema: {
          tags: ['canvases'],
          summary: "Replace a following step's audience with the segment's members",
          description:
            "Runs the canvas's segment now (on a running canvas) and replaces the step's Meta audience with the " +
            "members it leaves, through Meta's replace session (usersreplace): people added or removed outside " +
            'the product, or left stale by a long outage, are put right, without resetting ad-set learning. ' +
            "The audience's other writes wait while it runs. Answers at once; follow it with GET …/resyncs.",
          params: StepParams,
          response: { 202: ResyncView, ...problems(404, 409, 422) },
        },
      },
      async (request, reply) => {
        const { id, stepId } = request.params;
        const resync = await requestResync(deps, request.caller.workspaceId, id, stepId, request.caller.label);
        return reply.code(202).send(resyncView(resync));
      },
    );

    app.get(
      '/v1/canvases/:id/steps/:stepId/resyncs',
      {
        schema: {
          tags: ['canvases'],
          summary: "A step's resyncs, newest first",
          params: StepParams,
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict(),
          response: {
            200: z.object({ data: z.array(ResyncView) }).meta({ examples: [{ data: [resyncExample] }] }),
            ...problems(404),
          },
        },
      },
      async (request) => {
        const canvas = await findCanvas(deps.db, request.caller.workspaceId, request.params.id);
        if (!canvas) throw notFound(`canvas ${request.params.id}`);
        const resyncs = await listResyncs(
          deps.db,
          canvas.workspaceId,
          canvas.id,
          request.params.stepId,
          request.query.limit,
        );
        return { data: resyncs.map(resyncView) };
      },
    );
  };
