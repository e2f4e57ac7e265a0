import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TimeZone, canvasLevel, maxSeriesBuckets, seriesBuckets, type StepMetric } from '@canvas/canvas';
import { findCanvas, readCounterSeries } from '@canvas/db';
import type { ApiDeps } from '../deps.js';
import { notFound } from '../problem.js';
import { IsoDate, VersionNumber, problems } from '../schemas.js';

/** The counters a chart draws: journey movement, and where a Facebook step's users stand. */
const seriesMetrics = [
  'entered',
  'proceeded',
  'exited',
  'converted',
  'synced',
  'not_synced',
  'errored',
  'removed',
  'removed_synced',
] as const satisfies readonly StepMetric[];

const Series = z.object({
  stepId: z.string().describe(`A step id, or ${canvasLevel} for the canvas as a whole`),
  metric: z.enum(seriesMetrics),
  values: z.array(z.number().int()).describe('One value per bucket, in the order of `buckets`'),
});

const SeriesQuery = z
  .object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    interval: z.enum(['hour', 'day']).default('hour'),
    timeZone: TimeZone.default('UTC').describe('Days start at midnight in this zone'),
    version: VersionNumber.optional(),
  })
  .strict()
  .superRefine((query, context) => {
    const from = Date.parse(query.from);
    const to = Date.parse(query.to);
    if (!(to > from)) {
      context.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
      return;
    }
    const count = seriesBuckets(new Date(from), new Date(to), query.interval, query.timeZone).length;
    if (count > maxSeriesBuckets)
      context.addIssue({
        code: 'custom',
        path: ['to'],
        message: `at most ${maxSeriesBuckets} ${query.interval}s per series; choose a later from or a larger interval`,
      });
  });

/** Per-step numbers as a series over hours or days, from the counters' hourly buckets. */
export const analyticsSeriesRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/canvases/:id/analytics/series',
      {
        schema: {
          tags: ['analytics'],
          summary: 'Per-step numbers over time',
          description:
            'How many users each step counted in each hour or day of [from, to): entered, proceeded, exited, ' +
            'converted and, for Facebook steps, synced, not synced, errored and removals. Buckets without ' +
            `changes are 0. At most ${maxSeriesBuckets} buckets.`,
          params: z.object({ id: z.uuid() }).strict(),
          querystring: SeriesQuery,
          response: {
            200: z.object({
              canvasId: z.uuid(),
              interval: z.enum(['hour', 'day']),
              timeZone: z.string(),
              buckets: z.array(IsoDate).describe('The start of each bucket'),
              series: z.array(Series).describe('Only the step metrics that changed within the range'),
            }),
            ...problems(400, 404),
          },
        },
      },
      async (request) => {
        const canvas = await findCanvas(deps.db, request.caller.workspaceId, request.params.id);
        if (!canvas) throw notFound(`canvas ${request.params.id}`);
        const { interval, timeZone, version } = request.query;
        const from = new Date(request.query.from);
        const to = new Date(request.query.to);
        const buckets = seriesBuckets(from, to, interval, timeZone);
        const points = await readCounterSeries(deps.db, canvas.workspaceId, canvas.id, {
          from: buckets[0] ?? from,
          to,
          interval,
          timeZone,
          metrics: seriesMetrics,
          version,
        });
        const index = new Map(buckets.map((bucket, i) => [bucket.getTime(), i]));
        const series = new Map<string, z.infer<typeof Series>>();
        for (const point of points) {
          const at = index.get(point.bucket.getTime());
          if (at === undefined) continue;
          const key = `${point.stepId}\u0000${point.metric}`;
          let line = series.get(key);
          if (!line) {
            line = {
              stepId: point.stepId,
              metric: point.metric as (typeof seriesMetrics)[number],
              values: buckets.map(() => 0),
            };
            series.set(key, line);
          }
          line.values[at] = (line.values[at] ?? 0) + point.value;
        }
        return {
          canvasId: canvas.id,
          interval,
          timeZone,
          buckets: buckets.map((bucket) => bucket.toISOString()),
          series: [...series.values()],
        };
      },
    );
  };
