import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  audienceStatuses,
  canvasLevel,
  entryOrigins,
  invalidEntriesMetric,
  noLookalikeValueMetric,
  type Step,
  type StepMetric,
} from '@canvas/canvas';
import { entriesForUser, findCanvas, listCanvasVersions, readCounters } from '@canvas/db';
import type { ApiDeps } from '../deps.js';
import { definitionOf } from '../stored-definition.js';
import { notFound } from '../problem.js';
import { IsoDate, VersionNumber, iso, problems } from '../schemas.js';
import { isMatchKey } from '@canvas/meta-graph';

const StatusNumbers = {
  synced: z.number().int(),
  notSynced: z.number().int(),
  pending: z.number().int(),
  errored: z.number().int(),
};
const FacebookNumbers = z.object({
  ...StatusNumbers,
  invalidEntries: z
    .number()
    .int()
    .describe(
      'Rows Meta reported invalid in requests it accepted (num_invalid_entries), adds and removals. ' +
        "Users Meta's samples name are Not synced (META_INVALID_ENTRY); the rest of them are counted Synced, " +
        'since Meta does not say which they are',
    ),
  withoutValue: z
    .number()
    .int()
    .describe(
      'Of notSynced: users a value-based audience could not take, having no usable value for LOOKALIKE_VALUE ' +
        '(NO_LOOKALIKE_VALUE)',
    ),
  removals: z
    .object({ removed: z.number().int(), ...StatusNumbers })
    .describe(
      'For an audience that follows its segment: users taken out because they stopped qualifying; ' +
        'removed = synced + notSynced + pending + errored',
    ),
});
const StepNumbers = z.object({
  stepId: z.string(),
  kind: z.string(),
  name: z.string().nullable(),
  entered: z.number().int(),
  proceeded: z.number().int(),
  exited: z.number().int(),
  converted: z.number().int(),
  facebook: FacebookNumbers.nullable().describe(
    'For Facebook Audience steps: entered = synced + notSynced + pending + errored',
  ),
});
const Analytics = z.object({
  canvasId: z.uuid(),
  version: z.number().int().nullable().describe('The version the numbers are for; null for all versions'),
  from: IsoDate.nullable(),
  to: IsoDate.nullable(),
  totals: z.object({
    entered: z.number().int(),
    control: z.number().int(),
    converted: z.number().int(),
    controlConverted: z.number().int(),
    exited: z.number().int(),
    completed: z.number().int(),
    canceled: z.number().int().describe('Waiting users whose canvas was archived'),
  }),
  steps: z.array(StepNumbers),
});

const UserAnswer = z.object({
  canvasId: z.uuid(),
  stepId: z.string(),
  userId: z.string(),
  entries: z.array(
    z.object({
      entrySeq: z.number().int(),
      version: z.number().int(),
      status: z.enum(audienceStatuses),
      action: z.enum(['add', 'remove']),
      origin: z
        .enum(entryOrigins)
        .describe('step: the user reached the step; segment_exit: they left the segment it follows'),
      audienceId: z.string().nullable().describe('null when the step had no audience (the entry is Errored)'),
      adAccountId: z.string().nullable(),
      matchKeys: z.array(z.string()).describe('The keys of the step'),
      keysWithValues: z.array(z.string()).describe('Keys the user had a usable value for'),
      attempts: z.number().int(),
      enteredAt: IsoDate,
      nextAttemptAt: IsoDate.nullable(),
      deadlineAt: IsoDate,
      sentAt: IsoDate.nullable(),
      redriveId: z.uuid().nullable().describe('The re-drive that last sent the entry again (POST …/redrive)'),
      lastError: z
        .object({
          code: z.string(),
          classification: z.string().nullable(),
          message: z.string(),
          metaCode: z.number().int().nullable(),
          metaSubcode: z.number().int().nullable(),
          fbtraceId: z.string().nullable(),
          at: IsoDate,
        })
        .nullable(),
    }),
  ),
});

/** Per-step numbers from the counters the runner and the sync write, and the per-user answer. */
export const analyticsRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/canvases/:id/analytics',
      {
        schema: {
          tags: ['analytics'],
          summary: 'Per-step numbers',
          description:
            'Counts of users per step. With from/to, the changes within that range (hourly buckets); ' +
            '"pending" is always the current level.',
          params: z.object({ id: z.uuid() }).strict(),
          querystring: z
            .object({
              version: VersionNumber.optional(),
              from: z.iso.datetime({ offset: true }).optional(),
              to: z.iso.datetime({ offset: true }).optional(),
            })
            .strict(),
          response: { 200: Analytics, ...problems(404) },
        },
      },
      async (request) => {
        const canvas = await findCanvas(deps.db, request.caller.workspaceId, request.params.id);
        if (!canvas) throw notFound(`canvas ${request.params.id}`);
        const { version, from, to } = request.query;
        const counters = await readCounters(deps.db, canvas.workspaceId, canvas.id, {
          version,
          from: from ? new Date(from) : undefined,
          to: to ? new Date(to) : undefined,
        });
        const sum = (stepId: string, metric: StepMetric) =>
          counters.filter((c) => c.stepId === stepId && c.metric === metric).reduce((total, c) => total + c.value, 0);

        // step order and kinds from the chosen version, then from older versions for steps since removed
        const versions = await listCanvasVersions(deps.db, canvas.id);
        const shown = version ?? canvas.liveVersion ?? canvas.latestVersion;
        const ordered = [...versions].sort((a, b) =>
          a.version === shown ? -1 : b.version === shown ? 1 : b.version - a.version,
        );
        const steps = new Map<string, Step>();
        for (const v of ordered) {
          for (const step of definitionOf(v.definition, { canvasId: canvas.id, version: v.version }).steps)
            if (!steps.has(step.id)) steps.set(step.id, step);
        }
        const counted = new Set(counters.map((c) => c.stepId));
        return {
          canvasId: canvas.id,
          version: version ?? null,
          from: from ? new Date(from).toISOString() : null,
          to: to ? new Date(to).toISOString() : null,
          totals: {
            entered: sum(canvasLevel, 'entered'),
            control: sum(canvasLevel, 'control'),
            converted: sum(canvasLevel, 'converted'),
            controlConverted: sum(canvasLevel, 'control_converted'),
            exited: sum(canvasLevel, 'exited'),
            completed: sum(canvasLevel, 'completed'),
            canceled: sum(canvasLevel, 'canceled'),
          },
          steps: [...steps.values()]
            .filter((step) => version === undefined || counted.has(step.id) || ordered[0]?.version === version)
            .map((step) => ({
              stepId: step.id,
              kind: step.kind,
              name: step.name ?? null,
              entered: sum(step.id, 'entered'),
              proceeded: sum(step.id, 'proceeded'),
              exited: sum(step.id, 'exited'),
              converted: sum(step.id, 'converted'),
              facebook:
                step.kind === 'facebook_audience'
                  ? {
                      synced: sum(step.id, 'synced'),
                      notSynced: sum(step.id, 'not_synced'),
                      pending: sum(step.id, 'pending'),
                      errored: sum(step.id, 'errored'),
                      invalidEntries: sum(step.id, invalidEntriesMetric),
                      withoutValue: sum(step.id, noLookalikeValueMetric),
                      removals: {
                        removed: sum(step.id, 'removed'),
                        synced: sum(step.id, 'removed_synced'),
                        notSynced: sum(step.id, 'removed_not_synced'),
                        pending: sum(step.id, 'removed_pending'),
                        errored: sum(step.id, 'removed_errored'),
                      },
                    }
                  : null,
            })),
        };
      },
    );

    app.get(
      '/v1/canvases/:id/steps/:stepId/users/:userId',
      {
        schema: {
          tags: ['analytics'],
          summary: "Why isn't this user in my audience?",
          description:
            'The sync status of one user at a Facebook Audience step: each entry, attempts, ' +
            'the last error from Meta and when it was sent.',
          params: z
            .object({
              id: z.uuid(),
              stepId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
              userId: z.string().min(1).max(500),
            })
            .strict(),
          response: { 200: UserAnswer, ...problems(404) },
        },
      },
      async (request) => {
        const canvas = await findCanvas(deps.db, request.caller.workspaceId, request.params.id);
        if (!canvas) throw notFound(`canvas ${request.params.id}`);
        const entries = await entriesForUser(deps.db, canvas.id, request.params.stepId, request.params.userId);
        if (entries.length === 0) throw notFound(`user ${request.params.userId} at step ${request.params.stepId}`);
        return {
          canvasId: canvas.id,
          stepId: request.params.stepId,
          userId: request.params.userId,
          entries: entries.map((e) => ({
            entrySeq: e.entrySeq,
            version: e.version,
            status: e.status,
            action: e.action,
            origin: e.origin,
            audienceId: e.audienceId,
            adAccountId: e.metaAccountId === null ? null : `act_${e.metaAccountId}`,
            // the Limited Data Use and LOOKALIKE_VALUE columns ride in the schema but are no match keys
            matchKeys: e.schema.filter(isMatchKey),
            keysWithValues: e.schema.filter((key, i) => isMatchKey(key) && (e.values[i] ?? '') !== ''),
            attempts: e.attempts,
            enteredAt: e.enteredAt.toISOString(),
            nextAttemptAt: e.status === 'pending' ? e.nextAttemptAt.toISOString() : null,
            deadlineAt: e.deadlineAt.toISOString(),
            sentAt: iso(e.sentAt),
            redriveId: e.redriveId,
            lastError: e.lastError
              ? {
                  code: e.lastError.code,
                  classification: e.lastError.classification ?? null,
                  message: e.lastError.message,
                  metaCode: e.lastError.metaCode ?? null,
                  metaSubcode: e.lastError.metaSubcode ?? null,
                  fbtraceId: e.lastError.fbtraceId ?? null,
                  at: e.lastError.at,
                }
              : null,
          })),
        };
      },
    );
  };
