import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { nextRunAfter } from '@canvas/canvas';
import { findCanvas, findCanvasVersion, listSegmentRuns } from '@canvas/db';
import type { ApiDeps } from '../deps.js';
import { notFound } from '../problem.js';
import { IdParams, IsoDate, iso, problems } from '../schemas.js';
import { definitionOf } from '../stored-definition.js';
import { RunView } from './canvas.schemas.js';

/** A segment-entry canvas's runs: when the next one is due and what the past ones did. */
export const canvasRunRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/canvases/:id/runs',
      {
        schema: {
          tags: ['canvases'],
          summary: "A segment-entry canvas's next run and its past runs, newest first",
          params: IdParams,
          response: {
            200: z.object({ nextRunAt: IsoDate.nullable(), data: z.array(RunView) }),
            ...problems(404),
          },
        },
      },
      async (request) => {
        const canvas = await findCanvas(deps.db, request.caller.workspaceId, request.params.id);
        if (!canvas) throw notFound(`canvas ${request.params.id}`);
        const runs = await listSegmentRuns(deps.db, canvas.id, 100);
        const live =
          canvas.liveVersion === null ? undefined : await findCanvasVersion(deps.db, canvas.id, canvas.liveVersion);
        const schedule =
          live?.launchedAt && canvas.status !== 'archived'
            ? definitionOf(live.definition, { canvasId: canvas.id, version: live.version }).entry.segment?.runs
            : undefined;
        const after = runs[0]?.scheduledAt ?? new Date((live?.launchedAt?.getTime() ?? 0) - 1);
        const next = schedule && live?.launchedAt ? nextRunAfter(schedule, after, live.launchedAt) : null;
        return {
          nextRunAt: iso(next),
          data: runs.map((r) => ({
            scheduledAt: r.scheduledAt.toISOString(),
            version: r.version,
            status: r.status,
            startedAt: iso(r.startedAt),
            finishedAt: iso(r.finishedAt),
            candidates: r.candidates,
            evaluated: r.evaluated,
            members: r.members,
            entered: r.entered,
            removed: r.removed,
          })),
        };
      },
    );
  };
