import { z } from 'zod';
import { resyncStatuses } from '@canvas/canvas';
import type { Resync } from '@canvas/db';
import { IsoDate, iso } from '../schemas.js';

/** A finished resync of 25,000 members, as the API answers it (OpenAPI example). */
export const resyncExample = {
  id: '0b6f2a4e-7d1c-4f4e-9d55-2f9d1c7e5a10',
  canvasId: '5d7c2b1a-3e4f-4a6b-8c9d-0e1f2a3b4c5d',
  stepId: 'fb',
  adAccountId: 'act_1234567890',
  audienceId: '23851234567890123',
  status: 'done',
  requestedBy: 'CI pipeline',
  requestedAt: '2026-12-08T09:00:00.000Z',
  runScheduledAt: '2026-12-08T09:00:00.000Z',
  startedAt: '2026-12-08T09:00:41.000Z',
  finishedAt: '2026-12-08T09:03:12.000Z',
  members: 25_000,
  batches: 3,
  batchesSent: 3,
  sessions: 1,
  sessionId: '187204736149',
  added: 1_204,
  removed: 873,
  invalidEntries: 0,
  stage: 'finished',
  lastError: null,
} as const;

export const ResyncView = z
  .object({
    id: z.uuid(),
    canvasId: z.uuid(),
    stepId: z.string(),
    adAccountId: z.string().describe('The Meta ad account, act_…'),
    audienceId: z.string(),
    status: z
      .enum(resyncStatuses)
      .describe(
        'waiting (for the segment run it uploads the result of), uploading, confirming (Meta has every batch; ' +
          'its session must report that it ended), done, unconfirmed (Meta never reported the session ' +
          'finished: check the audience, resync again), failed (see lastError)',
      ),
    requestedBy: z.string().describe('Label of the API key that asked, or "schedule" for a run\'s resync'),
    requestedAt: IsoDate,
    runScheduledAt: IsoDate.nullable().describe('The segment run whose members it uploads; null on a paused canvas'),
    startedAt: IsoDate.nullable().describe('When its members were fixed and the upload began'),
    finishedAt: IsoDate.nullable(),
    members: z.number().int().nullable().describe("Users uploaded: the step's members with usable match keys"),
    batches: z.number().int().nullable().describe('Requests of at most 10,000 users in the replace session'),
    batchesSent: z.number().int().describe('Batches of the current session Meta acknowledged'),
    sessions: z.number().int().describe('Replace sessions started: more than 1 when Meta closed or refused one'),
    sessionId: z.string().nullable().describe("The current session's id at Meta"),
    added: z
      .number()
      .int()
      .nullable()
      .describe('Members the replace puts in that the product had not synced (or had removed)'),
    removed: z
      .number()
      .int()
      .nullable()
      .describe('Users the product had synced that the replace takes out (people added outside it are not counted)'),
    invalidEntries: z.number().int().describe('Rows Meta reported invalid (num_invalid_entries)'),
    stage: z.string().nullable().describe("What Meta's session last said (stage), e.g. uploading"),
    lastError: z
      .object({
        code: z.string(),
        message: z.string(),
        metaCode: z.number().int().nullable(),
        metaSubcode: z.number().int().nullable(),
        fbtraceId: z.string().nullable(),
        at: IsoDate,
      })
      .nullable(),
  })
  .meta({ examples: [resyncExample] });
export type ResyncView = z.infer<typeof ResyncView>;

export const resyncView = (r: Resync): ResyncView => ({
  id: r.id,
  canvasId: r.canvasId,
  stepId: r.stepId,
  adAccountId: `act_${r.metaAccountId}`,
  audienceId: r.audienceId,
  status: r.status,
  requestedBy: r.requestedBy,
  requestedAt: r.requestedAt.toISOString(),
  runScheduledAt: iso(r.runScheduledAt),
  startedAt: iso(r.startedAt),
  finishedAt: iso(r.finishedAt),
  members: r.members,
  batches: r.batches,
  batchesSent: r.batchesSent,
  sessions: r.sessionsStarted,
  sessionId: r.sessionId,
  added: r.added,
  removed: r.removed,
  invalidEntries: r.invalidEntries,
  stage: r.stage,
  lastError: r.lastError && {
    code: r.lastError.code,
    message: r.lastError.message,
    metaCode: r.lastError.metaCode ?? null,
    metaSubcode: r.lastError.metaSubcode ?? null,
    fbtraceId: r.lastError.fbtraceId ?? null,
    at: r.lastError.at,
  },
});
