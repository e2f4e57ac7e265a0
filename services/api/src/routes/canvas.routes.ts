import { randomUUID } from 'node:crypto';
import { validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CanvasDefinition, validateCanvas, type CanvasStatus } from '@canvas/canvas';
import {
  findCanvas,
  findCanvasVersion,
  insertCanvas,
  lockCanvas,
  listCanvases,
  listCanvasVersions,
  saveDraft,
  transitionCanvas,
} from '@canvas/db';
import { launchCanvas } from '../canvas-launch.js';
import { LaunchWarning } from '../launch-quota.js';
import { createDraftAudiences } from '../draft-audiences.js';
import type { ApiDeps } from '../deps.js';
import { definitionOf } from '../stored-definition.js';
import { apiError, conflict, notFound } from '../problem.js';
import { IdParams, VersionNumber, iso, problems } from '../schemas.js';
import { canvasRunRoutes } from './canvas-run.routes.js';
import { resyncRoutes } from './resync.routes.js';
import { canvasView } from './canvas-view.js';
import { AudienceView, CanvasBody, CanvasStatusSchema, CanvasView, VersionView } from './canvas.schemas.js';

// canvases are checked by validateCanvas, which reports graph problems as well as shape problems
const skipSchemaValidation = () => (data: unknown) => ({ value: data });

function invalidCanvas(input: unknown) {
  const result = validateCanvas(input);
  if (!result.ok) {
    throw apiError(
      'CANVAS_INVALID',
      `${result.problems.length} problem(s)`,
      result.problems.map((p) => ({ ...p, path: `/body${p.path}` })),
    );
  }
  return result.canvas;
}

/** Canvas lifecycle: drafts, versions, launch, pause, resume, archive; runs in canvas-run.routes.ts. */
export const canvasRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const transition =
      (from: CanvasStatus[], to: CanvasStatus, verb: string) =>
      async (request: { caller: { workspaceId: string }; params: { id: string } }) => {
        const changed = await transitionCanvas(
          deps.db,
          request.caller.workspaceId,
          request.params.id,
          from,
          to,
          deps.now(),
        );
        if (changed) return canvasView(deps, changed);
        const canvas = await findCanvas(deps.db, request.caller.workspaceId, request.params.id);
        if (!canvas) throw notFound(`canvas ${request.params.id}`);
        throw conflict('CANVAS_STATE_CONFLICT', `a ${canvas.status} canvas cannot be ${verb}`);
      };

    app.post(
      '/v1/canvases/validate',
      {
        schema: {
          tags: ['canvases'],
          summary: 'Check a canvas without saving it',
          body: CanvasBody,
          response: {
            200: z.object({
              valid: z.boolean(),
              problems: z.array(z.object({ code: z.string(), path: z.string(), message: z.string() })),
            }),
            ...problems(),
          },
        },
        validatorCompiler: skipSchemaValidation,
      },
      async (request) => {
        const result = validateCanvas(request.body);
        return {
          valid: result.ok,
          problems: result.ok ? [] : result.problems.map((p) => ({ ...p, path: `/body${p.path}` })),
        };
      },
    );

    app.post(
      '/v1/canvases',
      {
        schema: {
          tags: ['canvases'],
          summary: 'Create a draft canvas',
          body: CanvasBody,
          response: { 201: CanvasView, ...problems(422) },
        },
        validatorCompiler: skipSchemaValidation,
      },
      async (request, reply) => {
        const definition = invalidCanvas(request.body);
        const canvas = await deps.db.transaction().execute((tx) =>
          insertCanvas(tx, {
            id: randomUUID(),
            workspaceId: request.caller.workspaceId,
            name: definition.name,
            definition,
            now: deps.now(),
          }),
        );
        return reply.code(201).send(await canvasView(deps, canvas));
      },
    );

    app.get(
      '/v1/canvases',
      {
        schema: {
          tags: ['canvases'],
          summary: 'List canvases, newest first',
          querystring: z
            .object({
              status: CanvasStatusSchema.optional(),
              limit: z.coerce.number().int().min(1).max(100).default(20),
              cursor: z.uuid().optional(),
            })
            .strict(),
          response: {
            200: z.object({
              data: z.array(
                CanvasView.omit({
                  definition: true,
                  audiences: true,
                  lookalikes: true,
                  accountProblems: true,
                  drift: true,
                }),
              ),
              nextCursor: z.uuid().nullable(),
            }),
            ...problems(),
          },
        },
      },
      async (request) => {
        const { status, limit, cursor } = request.query;
        const rows = await listCanvases(deps.db, request.caller.workspaceId, {
          status,
          limit: limit + 1,
          after: cursor,
        });
        const page = rows.slice(0, limit);
        return {
          data: page.map((c) => ({
            id: c.id,
            name: c.name,
            status: c.status,
            liveVersion: c.liveVersion,
            latestVersion: c.latestVersion,
            hasUnlaunchedChanges: c.liveVersion !== c.latestVersion,
            createdAt: c.createdAt.toISOString(),
            updatedAt: c.updatedAt.toISOString(),
          })),
          nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
        };
      },
    );

    app.get(
      '/v1/canvases/:id',
      {
        schema: {
          tags: ['canvases'],
          summary: 'One canvas with its newest version',
          params: IdParams,
          response: { 200: CanvasView, ...problems(404) },
        },
      },
      async (request) => {
        const canvas = await findCanvas(deps.db, request.caller.workspaceId, request.params.id);
        if (!canvas) throw notFound(`canvas ${request.params.id}`);
        return canvasView(deps, canvas);
      },
    );

    app.put(
      '/v1/canvases/:id',
      {
        schema: {
          tags: ['canvases'],
          summary: 'Edit a canvas',
          description:
            'A draft is changed in place. Editing a launched canvas creates a new version ' +
            'that takes effect when it is launched; users already inside stay on the version ' +
            'they entered.',
          params: IdParams,
          body: CanvasBody,
          response: { 200: CanvasView, ...problems(404, 409, 422) },
        },
        validatorCompiler: (route) =>
          route.httpPart === 'body' ? skipSchemaValidation() : validatorCompiler(route as never),
      },
      async (request) => {
        const definition = invalidCanvas(request.body);
        const updated = await deps.db.transaction().execute(async (tx) => {
          const canvas = await lockCanvas(tx, request.caller.workspaceId, request.params.id);
          if (!canvas) throw notFound(`canvas ${request.params.id}`);
          if (canvas.status === 'archived') throw conflict('CANVAS_ARCHIVED', 'an archived canvas cannot be edited');
          return saveDraft(tx, canvas, { name: definition.name, definition, now: deps.now() });
        });
        return canvasView(deps, updated);
      },
    );

    app.post(
      '/v1/canvases/:id/launch',
      {
        schema: {
          tags: ['canvases'],
          summary: 'Launch the newest version',
          description:
            'Preflight: the canvas is valid, its ad accounts are connected with the Custom ' +
            'Audience terms accepted, audiences to create are created and existing ones are ' +
            "readable. `warnings` lists accounts whose users would risk the sync's retry window " +
            '(quota_at_risk); with the workspace setting blockLaunchOnQuotaRisk they stop the launch.',
          params: IdParams,
          response: {
            200: CanvasView.extend({ warnings: z.array(LaunchWarning) }),
            ...problems(404, 409, 422, 502, 503),
          },
        },
      },
      async (request) => {
        const { canvas, warnings } = await launchCanvas(deps, request.caller.workspaceId, request.params.id);
        return { ...(await canvasView(deps, canvas)), warnings };
      },
    );

    app.post(
      '/v1/canvases/:id/audiences',
      {
        schema: {
          tags: ['canvases'],
          summary: "Create the newest version's audiences now",
          description:
            'Braze\'s "Create Audience" button: creates in Meta the audiences the newest ' +
            "version's steps create, before launch, so designers see them in Ads Manager " +
            'and other steps can use them. Idempotent; launch reuses them. Problems are ' +
            'answered as launch answers them.',
          params: IdParams,
          response: { 200: z.object({ audiences: z.array(AudienceView) }), ...problems(404, 409, 422, 502, 503) },
        },
      },
      async (request) => ({
        audiences: await createDraftAudiences(deps, request.caller.workspaceId, request.params.id),
      }),
    );

    app.post(
      '/v1/canvases/:id/pause',
      {
        schema: {
          tags: ['canvases'],
          summary: 'Pause: no new entrants, due delays wait',
          params: IdParams,
          response: { 200: CanvasView, ...problems(404, 409) },
        },
      },
      transition(['running'], 'paused', 'paused'),
    );

    app.post(
      '/v1/canvases/:id/resume',
      {
        schema: {
          tags: ['canvases'],
          summary: 'Resume a paused canvas',
          params: IdParams,
          response: { 200: CanvasView, ...problems(404, 409) },
        },
      },
      transition(['paused'], 'running', 'resumed'),
    );

    app.post(
      '/v1/canvases/:id/archive',
      {
        schema: {
          tags: ['canvases'],
          summary: 'Archive: the canvas stops for good',
          params: IdParams,
          response: { 200: CanvasView, ...problems(404, 409) },
        },
      },
      transition(['draft', 'running', 'paused'], 'archived', 'archived'),
    );

    app.get(
      '/v1/canvases/:id/versions',
      {
        schema: {
          tags: ['canvases'],
          summary: 'Versions of a canvas',
          params: IdParams,
          response: { 200: z.object({ data: z.array(VersionView) }), ...problems(404) },
        },
      },
      async (request) => {
        const canvas = await findCanvas(deps.db, request.caller.workspaceId, request.params.id);
        if (!canvas) throw notFound(`canvas ${request.params.id}`);
        const versions = await listCanvasVersions(deps.db, canvas.id);
        return {
          data: versions.map((v) => ({
            version: v.version,
            state: v.state,
            createdAt: v.createdAt.toISOString(),
            launchedAt: iso(v.launchedAt),
          })),
        };
      },
    );

    app.get(
      '/v1/canvases/:id/versions/:version',
      {
        schema: {
          tags: ['canvases'],
          summary: 'One version with its definition',
          params: z.object({ id: z.uuid(), version: VersionNumber }).strict(),
          response: { 200: VersionView.extend({ definition: CanvasDefinition }), ...problems(404) },
        },
      },
      async (request) => {
        const canvas = await findCanvas(deps.db, request.caller.workspaceId, request.params.id);
        const version = canvas && (await findCanvasVersion(deps.db, canvas.id, request.params.version));
        if (!version) throw notFound(`version ${request.params.version} of canvas ${request.params.id}`);
        return {
          version: version.version,
          state: version.state,
          createdAt: version.createdAt.toISOString(),
          launchedAt: iso(version.launchedAt),
          definition: definitionOf(version.definition, { canvasId: canvas.id, version: version.version }),
        };
      },
    );

    await app.register(canvasRunRoutes(deps));
    await app.register(resyncRoutes(deps));
  };
