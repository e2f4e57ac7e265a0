import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  cancelDryRun,
  dryRunCostSince,
  findCanvas,
  findCanvasVersion,
  findDryRun,
  insertDryRun,
  listDryRuns,
  lockWorkspace,
  openDryRuns,
} from '@canvas/db';
import type { ApiDeps } from '../deps.js';
import type { DryRunSettings } from '../dry-run-settings.js';
import { DryRunView, dryRunView } from '../dry-run-view.js';
import { apiError, conflict, notFound } from '../problem.js';
import { requestExamples } from '../request-examples.js';
import { IdParams, VersionNumber, problems } from '../schemas.js';
import { definitionOf } from '../stored-definition.js';

const dayMs = 86_400_000;

const DryRunBody = z
  .object({
    version: VersionNumber.optional().describe(
      'The version to replay, any state; default the newest (a draft, if any)',
    ),
    window: z
      .union([
        z.object({ lastDays: z.number().int().min(1).max(90) }).strict(),
        z.object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) }).strict(),
      ])
      .default({ lastDays: 7 })
      .describe('The behaviour to replay: the last N days up to now, or [from, to); at most DRY_RUN_MAX_WINDOW'),
  })
  .strict()
  .meta({ examples: [requestExamples.dryRun] });

/** Dry runs of canvas versions over the behaviour history: ask, follow, cancel (decision 38). */
export const dryRunRoutes =
  (deps: ApiDeps, settings: DryRunSettings, wake: () => void): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/canvases/:id/dry-run',
      {
        schema: {
          tags: ['dry runs'],
          summary: "Replay a version over the workspace's behaviour history",
          description:
            'Queues a background run that replays the stored behaviour of a window (default the last 7 days) ' +
            'through the engine on a virtual clock, as if the version had been launched when the window opened: ' +
            'no journeys, counters, hand-offs or Meta calls. Follow it with GET /v1/dry-runs/{id}; the result ' +
            'gives per-step numbers, split branches, what Facebook steps would sync and the Meta requests that ' +
            'takes. One run at a time per workspace (DRY_RUN_PER_WORKSPACE) and a daily budget of history rows ' +
            '(DRY_RUN_DAILY_HISTORY_ROWS).',
          params: IdParams,
          body: DryRunBody,
          response: { 202: DryRunView, ...problems(404, 429, 500) },
        },
      },
      async (request, reply) => {
        const { workspaceId, label } = request.caller;
        const canvas = await findCanvas(deps.db, workspaceId, request.params.id);
        if (!canvas) throw notFound(`canvas ${request.params.id}`);
        const version = request.body.version ?? canvas.latestVersion;
        const stored = await findCanvasVersion(deps.db, canvas.id, version);
        if (!stored) throw notFound(`version ${version} of canvas ${canvas.id}`);
        definitionOf(stored.definition, { canvasId: canvas.id, version });
        const now = deps.now();
        const { window } = request.body;
        const to = 'lastDays' in window ? now : new Date(window.to);
        const from = 'lastDays' in window ? new Date(now.getTime() - window.lastDays * dayMs) : new Date(window.from);
        const windowProblem = (message: string) =>
          apiError('VALIDATION_FAILED', '1 problem(s) in the body', [
            { code: 'invalid_value', path: '/body/window', message },
          ]);
        if (from >= to) throw windowProblem('the window must end after it begins');
        if (to.getTime() > now.getTime()) throw windowProblem('the window cannot end in the future');
        if (to.getTime() - from.getTime() > settings.maxWindowDays * dayMs)
          throw windowProblem(`a window is at most ${settings.maxWindowDays} days`);
        const run = await deps.db.transaction().execute(async (tx) => {
          // one workspace's requests one at a time: two at once could both find it idle
          await lockWorkspace(tx, workspaceId);
          const open = await openDryRuns(tx, workspaceId);
          if (open.length >= settings.perWorkspace)
            throw apiError(
              'DRY_RUN_BUSY',
              `dry run ${open[0]!.id} is ${open[0]!.status}; the workspace runs ${settings.perWorkspace} at a time ` +
                '(wait for it, or cancel it with DELETE /v1/dry-runs/{id})',
              undefined,
              { 'retry-after': '10' },
            );
          const spent = await dryRunCostSince(tx, workspaceId, new Date(now.getTime() - dayMs));
          if (spent.events >= settings.dailyHistoryRows) {
            const freeAt = (spent.oldest?.getTime() ?? now.getTime()) + dayMs;
            throw apiError(
              'DRY_RUN_BUDGET_EXCEEDED',
              `dry runs of this workspace read ${spent.events} history rows in the last 24 hours, ` +
                `the most they may (DRY_RUN_DAILY_HISTORY_ROWS = ${settings.dailyHistoryRows})`,
              undefined,
              { 'retry-after': String(Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000))) },
            );
          }
          return insertDryRun(tx, {
            id: randomUUID(),
            workspaceId,
            canvasId: canvas.id,
            version,
            from,
            to,
            requestedBy: label,
            now,
          });
        });
        wake();
        return reply.code(202).send(dryRunView(run));
      },
    );

    app.get(
      '/v1/dry-runs/:id',
      {
        schema: {
          tags: ['dry runs'],
          summary: 'A dry run: its progress, and its projection once done',
          params: IdParams,
          response: { 200: DryRunView, ...problems(404) },
        },
      },
      async (request) => {
        const run = await findDryRun(deps.db, request.caller.workspaceId, request.params.id);
        if (!run) throw notFound(`dry run ${request.params.id}`);
        return dryRunView(run);
      },
    );

    app.get(
      '/v1/canvases/:id/dry-runs',
      {
        schema: {
          tags: ['dry runs'],
          summary: "A canvas's dry runs, newest first (the last 20)",
          params: IdParams,
          response: { 200: z.object({ data: z.array(DryRunView) }), ...problems(404) },
        },
      },
      async (request) => {
        const canvas = await findCanvas(deps.db, request.caller.workspaceId, request.params.id);
        if (!canvas) throw notFound(`canvas ${request.params.id}`);
        return { data: (await listDryRuns(deps.db, canvas.workspaceId, canvas.id, 20)).map(dryRunView) };
      },
    );

    app.delete(
      '/v1/dry-runs/:id',
      {
        schema: {
          tags: ['dry runs'],
          summary: 'Cancel a queued or running dry run',
          description:
            'A running one stops at its next page (within a second or so); what it read counts to the budget.',
          params: IdParams,
          response: { 200: DryRunView, ...problems(404, 409) },
        },
      },
      async (request) => {
        const run = await cancelDryRun(deps.db, request.caller.workspaceId, request.params.id, deps.now());
        if (!run) throw notFound(`dry run ${request.params.id}`);
        if (run.status === 'done' || run.status === 'failed')
          throw conflict('DRY_RUN_FINISHED', `dry run ${run.id} is already ${run.status}`);
        return dryRunView(run);
      },
    );
  };
