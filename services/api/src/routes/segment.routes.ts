import { randomUUID } from 'node:crypto';
import { validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { identifierKeys, SegmentDefinition, validateSegment, type MatchKey } from '@canvas/canvas';
import {
  canvasesUsingSegment,
  deleteSegment,
  findSegment,
  insertSegment,
  listSegments,
  updateSegment,
  type SegmentRecord,
} from '@canvas/db';
import type { ApiDeps } from '../deps.js';
import { apiError, conflict, notFound } from '../problem.js';
import { requestExamples } from '../request-examples.js';
import { IdParams, IsoDate, problems } from '../schemas.js';
import type { ExpensiveWork } from '../expensive-work.js';
import { defaultSegmentBudget, segmentOverBudget, type SegmentBudget } from '../segment-budget.js';
import { estimateReach } from '../segment-estimate.js';

const SegmentBody = SegmentDefinition.meta({ examples: [requestExamples.segment] });
const SegmentView = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  conditions: SegmentDefinition.shape.conditions,
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
const IdentifierKey = z.enum(identifierKeys as unknown as [MatchKey, ...MatchKey[]]);
const EstimateBody = z
  .object({
    matchKeys: z
      .array(IdentifierKey)
      .min(1)
      .max(4)
      .optional()
      .describe("The Facebook step's identifier keys that count (default: all four)"),
  })
  .strict()
  // the body is optional: no body estimates on every identifier key
  .nullish()
  .meta({ examples: [{ matchKeys: ['EMAIL', 'PHONE'] }] });
const EstimateQuery = z
  .object({
    exact: z
      .enum(['true', 'false'])
      .default('false')
      .describe('true counts every profile (slower on large workspaces); by default those are sampled')
      .transform((v) => v === 'true'),
  })
  .strict();
const EstimateView = z.object({
  members: z.number().int().describe('Users who match the segment now (scaled from the sample when not exact)'),
  membersRange: z
    .object({ low: z.number().int(), high: z.number().int() })
    .describe('95 % interval for members; both equal members when exact'),
  matchableOnFacebook: z.number().int().describe('Members with at least one usable match key of those chosen'),
  byKey: z.record(z.string(), z.number().int()).describe('Members with a usable value, per identifier key'),
  exact: z.boolean().describe('false: counted on a sample of the workspace and scaled'),
  sample: z
    .object({ profiles: z.number().int(), ofProfiles: z.number().int() })
    .nullable()
    .describe('The sample a non-exact estimate counted: profiles in it, and in the workspace'),
  candidatesEvaluated: z.number().int().describe('Profiles the evaluator looked at'),
  estimatedAt: IsoDate,
  tookMs: z.number().int(),
});
const ValidationView = z.object({
  valid: z.boolean(),
  problems: z.array(z.object({ code: z.string(), path: z.string(), message: z.string() })),
});

// segments are checked by validateSegment, which also reports the rules the schema cannot see
const skipSchemaValidation = () => (data: unknown) => ({ value: data });
const bodyUnchecked = (route: { httpPart?: string }) =>
  route.httpPart === 'body' ? skipSchemaValidation() : validatorCompiler(route as never);

/** The segment's problems, its budget included, with pointers into the body. */
function segmentProblems(input: unknown, budget: SegmentBudget) {
  const result = validateSegment(input);
  if (!result.ok) return { problems: result.problems.map((p) => ({ ...p, path: `/body${p.path}` })) };
  const over = segmentOverBudget(result.segment.conditions, budget, '/body/conditions');
  return over ? { problems: [over] } : { segment: result.segment };
}

const view = (s: SegmentRecord) => ({
  id: s.id,
  name: s.name,
  description: s.description,
  conditions: s.conditions,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});

/** Segments: saved conditions over profiles and behaviour history, validated and estimated. */
export const segmentRoutes =
  (deps: ApiDeps, expensive: ExpensiveWork): FastifyPluginAsyncZod =>
  async (app) => {
    const budget = deps.segmentBudget ?? defaultSegmentBudget;
    const validSegment = (input: unknown) => {
      const checked = segmentProblems(input, budget);
      if (checked.segment) return checked.segment;
      throw apiError('SEGMENT_INVALID', `${checked.problems.length} problem(s)`, checked.problems);
    };
    const estimate = async (
      workspaceId: string,
      conditions: SegmentDefinition['conditions'],
      exact: boolean,
      keys?: MatchKey[],
    ) => {
      const started = Date.now();
      const now = deps.now();
      const over = segmentOverBudget(conditions, budget, '/conditions');
      // a segment saved before the budget existed is refused as it would be today
      if (over) throw apiError('SEGMENT_INVALID', 'the saved segment is over the budget; edit it', [over]);
      const reach = await expensive(workspaceId, () =>
        estimateReach(deps.db, workspaceId, conditions, keys, now, {
          exact,
          ...(deps.estimateSampleSize ? { sampleSize: deps.estimateSampleSize } : {}),
          ...(deps.estimateTimeoutMs ? { timeoutMs: deps.estimateTimeoutMs } : {}),
        }),
      );
      return {
        members: reach.members,
        membersRange: reach.membersRange,
        matchableOnFacebook: reach.matchable,
        byKey: reach.byKey,
        exact: reach.exact,
        sample: reach.sample && { profiles: reach.sample.sampled, ofProfiles: reach.sample.total },
        candidatesEvaluated: reach.evaluated,
        estimatedAt: now.toISOString(),
        tookMs: Date.now() - started,
      };
    };

    app.post(
      '/v1/segments/validate',
      {
        schema: {
          tags: ['segments'],
          summary: 'Check a segment without saving it',
          body: SegmentBody,
          response: { 200: ValidationView, ...problems() },
        },
        validatorCompiler: skipSchemaValidation,
      },
      async (request) => {
        const { problems } = segmentProblems(request.body, budget);
        return { valid: !problems, problems: problems ?? [] };
      },
    );

    app.post(
      '/v1/segments/estimate',
      {
        schema: {
          tags: ['segments'],
          summary: 'Estimate the reach of an unsaved segment',
          description: "The same count as a saved segment's estimate, for a segment being edited.",
          querystring: EstimateQuery,
          body: SegmentBody,
          response: { 200: EstimateView, ...problems(422, 429, 503) },
        },
        validatorCompiler: bodyUnchecked,
      },
      async (request) =>
        estimate(request.caller.workspaceId, validSegment(request.body).conditions, request.query.exact),
    );

    app.post(
      '/v1/segments',
      {
        schema: {
          tags: ['segments'],
          summary: 'Create a segment',
          body: SegmentBody,
          response: { 201: SegmentView, ...problems(422) },
        },
        validatorCompiler: skipSchemaValidation,
      },
      async (request, reply) => {
        const definition = validSegment(request.body);
        const segment = await insertSegment(deps.db, {
          id: randomUUID(),
          workspaceId: request.caller.workspaceId,
          definition,
          now: deps.now(),
        });
        return reply.code(201).send(view(segment));
      },
    );

    app.get(
      '/v1/segments',
      {
        schema: {
          tags: ['segments'],
          summary: 'List segments, newest first',
          querystring: z
            .object({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor: z.uuid().optional() })
            .strict(),
          response: { 200: z.object({ data: z.array(SegmentView), nextCursor: z.uuid().nullable() }), ...problems() },
        },
      },
      async (request) => {
        const { limit, cursor } = request.query;
        const rows = await listSegments(deps.db, request.caller.workspaceId, { limit: limit + 1, after: cursor });
        const page = rows.slice(0, limit);
        return {
          data: page.map(view),
          nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
        };
      },
    );

    app.get(
      '/v1/segments/:id',
      {
        schema: {
          tags: ['segments'],
          summary: 'One segment',
          params: IdParams,
          response: { 200: SegmentView, ...problems(404) },
        },
      },
      async (request) => {
        const segment = await findSegment(deps.db, request.caller.workspaceId, request.params.id);
        if (!segment) throw notFound(`segment ${request.params.id}`);
        return view(segment);
      },
    );

    app.put(
      '/v1/segments/:id',
      {
        schema: {
          tags: ['segments'],
          summary: 'Edit a segment',
          description: 'Canvases that enter the segment use the edited conditions from their next run on.',
          params: IdParams,
          body: SegmentBody,
          response: { 200: SegmentView, ...problems(404, 422) },
        },
        validatorCompiler: bodyUnchecked,
      },
      async (request) => {
        const definition = validSegment(request.body);
        const updated = await updateSegment(
          deps.db,
          request.caller.workspaceId,
          request.params.id,
          definition,
          deps.now(),
        );
        if (!updated) throw notFound(`segment ${request.params.id}`);
        return view(updated);
      },
    );

    app.delete(
      '/v1/segments/:id',
      {
        schema: {
          tags: ['segments'],
          summary: 'Delete a segment no running or paused canvas enters',
          params: IdParams,
          response: { 204: z.null(), ...problems(404, 409) },
        },
      },
      async (request, reply) => {
        const { workspaceId } = request.caller;
        const users = await canvasesUsingSegment(deps.db, workspaceId, request.params.id);
        if (users.length > 0)
          throw conflict(
            'SEGMENT_IN_USE',
            `entered by ${users.map((c) => `"${c.name}" (${c.id}, ${c.status})`).join(', ')}; archive them first`,
          );
        if (!(await deleteSegment(deps.db, workspaceId, request.params.id)))
          throw notFound(`segment ${request.params.id}`);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/v1/segments/:id/estimate',
      {
        schema: {
          tags: ['segments'],
          summary: 'Estimate reach: members now, and of them how many Meta could match, by key',
          description:
            'Workspaces with more than 100,000 profiles are estimated on a systematic sample of about 50,000 ' +
            '(exact: false, with a 95 % interval); ?exact=true counts every profile.',
          params: IdParams,
          querystring: EstimateQuery,
          body: EstimateBody,
          response: { 200: EstimateView, ...problems(404, 422, 429, 503) },
        },
      },
      async (request) => {
        const segment = await findSegment(deps.db, request.caller.workspaceId, request.params.id);
        if (!segment) throw notFound(`segment ${request.params.id}`);
        return estimate(request.caller.workspaceId, segment.conditions, request.query.exact, request.body?.matchKeys);
      },
    );
  };
