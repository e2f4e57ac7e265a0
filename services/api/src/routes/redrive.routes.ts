import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  addCounters,
  counterShards,
  findCanvas,
  findRedrive,
  listCanvasVersions,
  listRedrives,
  sqlStateOf,
  startRedrive,
  type Redrive,
  type RedriveProgress,
  type UnusableConnection,
} from '@canvas/db';
import { metricFactory } from '@canvas/runtime';
import type { ApiDeps } from '../deps.js';
import { apiError, notFound } from '../problem.js';
import { requestExamples } from '../request-examples.js';
import { IsoDate, problems } from '../schemas.js';
import { definitionOf } from '../stored-definition.js';

const StepParams = z.object({ id: z.uuid(), stepId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }).strict();

/** The request body: everything in it is optional, and so is the body (none, or null). */
export const RedriveBody = z
  .object({
    note: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .describe('Why: shown with the re-drive (e.g. "token reconnected after the outage")'),
  })
  .strict()
  // no body at all reaches validation as null
  .nullish()
  .meta({ examples: [requestExamples.redrive] });

const RedriveHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'visible ASCII characters')
    .optional()
    .describe(
      'Makes the request safe to repeat: a repeat with the same key answers the re-drive the first made (200), ' +
        'nothing is sent again. Without a key, a second re-drive simply finds nobody left to send.',
    ),
});

const Counts = {
  pending: z.number().int(),
  synced: z.number().int(),
  notSynced: z.number().int(),
  errored: z.number().int(),
};

export const RedriveView = z.object({
  id: z.uuid(),
  canvasId: z.uuid(),
  stepId: z.string(),
  requestedAt: IsoDate,
  requestedBy: z.string().describe('Label of the API key that asked'),
  apiKeyId: z.uuid(),
  note: z.string().nullable(),
  idempotencyKey: z.string().nullable(),
  users: z.number().int().describe('Users moved to Pending and sent again through the sync (within the quota)'),
  moved: z
    .object({ errored: z.number().int(), notSynced: z.number().int() })
    .describe('The users by the status they had'),
  skipped: z
    .object({
      final: z
        .number()
        .int()
        .describe('Their reason cannot change by sending again (NO_MATCH_KEYS, CONSENT, META_INVALID_ENTRY, …)'),
      superseded: z
        .number()
        .int()
        .describe(
          'A later entry of the same user to the same Meta audience came since; sending this one would undo it',
        ),
      erased: z.number().int().describe('The user was erased'),
      optedOut: z.number().int().describe('The user opted out of ads since (adds only)'),
      noConnection: z.number().int().describe('The workspace no longer connects the Meta ad account'),
      busy: z.number().int().describe('An erasure was changing the entry at that moment; a later re-drive finds it'),
    })
    .describe('Errored and Not synced users left as they are, by why'),
  progress: z.object(Counts).describe('Where the users this re-drive sent stand now'),
});
export type RedriveView = z.infer<typeof RedriveView>;

const view = (r: Redrive & { progress: RedriveProgress }): RedriveView => ({
  id: r.id,
  canvasId: r.canvasId,
  stepId: r.stepId,
  requestedAt: r.requestedAt.toISOString(),
  requestedBy: r.requestedBy,
  apiKeyId: r.apiKeyId,
  note: r.note,
  idempotencyKey: r.idempotencyKey,
  users: r.users,
  moved: r.moved,
  skipped: {
    final: r.skipped.final,
    superseded: r.skipped.superseded,
    erased: r.skipped.erased,
    optedOut: r.skipped.opted_out,
    noConnection: r.skipped.no_connection,
    busy: r.skipped.busy,
  },
  progress: {
    pending: r.progress.pending,
    synced: r.progress.synced,
    notSynced: r.progress.not_synced,
    errored: r.progress.errored,
  },
});

const unusableDetail = (connections: readonly UnusableConnection[]) =>
  connections
    .map(
      (c) =>
        `act_${c.metaAccountId} is ${c.status.replace(/_/g, ' ')} (${c.users} user(s) would go through it)` +
        `${c.reason ? `: ${c.reason.replace(/\.+$/, '')}` : ''}`,
    )
    .join('; ') +
  '. Reconnect it first (PUT /v1/ad-accounts/{id}/token, or accept the Custom Audience terms): ' +
  'nothing sent now could succeed, and users still Pending go at once on reconnecting.';

/** Re-drive: a Facebook step's Errored (and fixable Not synced) users sent again, as one recorded operation. */
export const redriveRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const retryWindowMs = deps.redrive?.retryWindowMs ?? deps.erasure?.retryWindowMs ?? 13 * 3_600_000;
    const metrics = metricFactory(deps.registry);
    const redrives = metrics.counter('canvas_redrives_total', 'Re-drives recorded (replays of a key not counted)');
    const redriveUsers = metrics.counter('canvas_redrive_users_total', 'Users re-drives moved back to Pending');

    /** The canvas of the workspace and a Facebook step some version of it has. */
    const facebookStep = async (workspaceId: string, canvasId: string, stepId: string) => {
      const canvas = await findCanvas(deps.db, workspaceId, canvasId);
      if (!canvas) throw notFound(`canvas ${canvasId}`);
      const versions = await listCanvasVersions(deps.db, canvas.id);
      const facebook = versions.some((v) =>
        definitionOf(v.definition, { canvasId: canvas.id, version: v.version }).steps.some(
          (s) => s.id === stepId && s.kind === 'facebook_audience',
        ),
      );
      if (!facebook) throw notFound(`Facebook Audience step ${stepId} of canvas ${canvasId}`);
      return canvas;
    };

    app.post(
      '/v1/canvases/:id/steps/:stepId/redrive',
      {
        schema: {
          tags: ['analytics'],
          summary: "Send a step's Errored users again",
          description:
            "Moves the Facebook step's Errored users — and Not synced users whose reason is not final (none today: " +
            'a disconnected account holds users Pending instead) — back to Pending with a fresh retry window, in ' +
            'one transaction with their counters, so entered = synced + notSynced + pending + errored still holds. ' +
            'The sync then sends them as any pending user, within the quota. The re-drive is recorded: who, when, ' +
            'how many, and why the others were left. Re-drives of a step run one at a time and a second finds ' +
            'nobody left to send, so nobody is sent twice; an Idempotency-Key makes a repeat answer the first (200). ' +
            'Refused with REDRIVE_ACCOUNT_UNUSABLE while the connection the users would go through is disconnected. ' +
            'The body is optional: it may be left out (or be null).',
          params: StepParams,
          headers: RedriveHeaders,
          body: RedriveBody,
          response: { 200: RedriveView, 202: RedriveView, ...problems(404, 409) },
        },
      },
      async (request, reply) => {
        const { workspaceId, label, keyId } = request.caller;
        const canvas = await facebookStep(workspaceId, request.params.id, request.params.stepId);
        const idempotencyKey = request.headers['idempotency-key'] ?? null;
        const now = deps.now();
        let result;
        try {
          result = await deps.db.transaction().execute(async (tx) => {
            const started = await startRedrive(tx, {
              id: randomUUID(),
              workspaceId,
              canvasId: canvas.id,
              stepId: request.params.stepId,
              requestedBy: label,
              apiKeyId: keyId,
              idempotencyKey,
              note: request.body?.note ?? null,
              now,
              retryWindowMs,
            });
            if (started.outcome === 'created') await addCounters(tx, started.counters, now, counterShards.api);
            return started;
          });
        } catch (error) {
          // the same key, at the same moment, for another step's re-drive
          if (sqlStateOf(error) === '23505' && idempotencyKey !== null)
            throw apiError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for another re-drive');
          throw error;
        }
        switch (result.outcome) {
          case 'unusable':
            throw apiError('REDRIVE_ACCOUNT_UNUSABLE', unusableDetail(result.connections));
          case 'key_reused':
            throw apiError(
              'IDEMPOTENCY_KEY_REUSED',
              `this Idempotency-Key was used for re-drive ${result.redrive.id} of step ${result.redrive.stepId} ` +
                `of canvas ${result.redrive.canvasId}`,
            );
          case 'replayed':
          case 'created': {
            const found = await findRedrive(deps.db, workspaceId, result.redrive.id);
            if (result.outcome === 'created') {
              redrives.inc();
              redriveUsers.inc(result.redrive.users);
              deps.logger.info(
                {
                  canvasId: canvas.id,
                  stepId: request.params.stepId,
                  redriveId: result.redrive.id,
                  users: result.redrive.users,
                },
                're-drive recorded',
              );
            }
            return reply.code(result.outcome === 'created' ? 202 : 200).send(view(found!));
          }
        }
      },
    );

    app.get(
      '/v1/canvases/:id/steps/:stepId/redrives',
      {
        schema: {
          tags: ['analytics'],
          summary: "A step's re-drives",
          description: 'The re-drives of a Facebook step, newest first (at most 50), with where their users stand now.',
          params: StepParams,
          response: { 200: z.object({ data: z.array(RedriveView) }), ...problems(404) },
        },
      },
      async (request) => {
        const canvas = await facebookStep(request.caller.workspaceId, request.params.id, request.params.stepId);
        const data = await listRedrives(deps.db, request.caller.workspaceId, canvas.id, request.params.stepId);
        return { data: data.map(view) };
      },
    );
  };
