import { z } from 'zod';
import { dryRunStatuses, type DryRunRecord } from '@canvas/db';
import { IsoDate } from './schemas.js';

const count = z.number().int().min(0);
const rate = z.number().min(0);

const Branch = z.object({
  index: z.number().int().nullable().describe("The branch's or path's position; null for an audience split's else"),
  name: z.string().nullable(),
  next: z.string().nullable(),
  percent: z.number().int().nullable().describe("A random split path's share"),
  users: count,
});

const FacebookProjection = z.object({
  adAccountId: z
    .string()
    .nullable()
    .describe('The Meta ad account the step would use (its own, else the default); null when none is connected'),
  action: z.enum(['add', 'remove']),
  matchKeys: z.array(z.string()),
  synced: count.describe('Users the step would hand to the sync with a usable key and consent: sent to Meta'),
  notSynced: z.object({
    total: count,
    noMatchKeys: count.describe('No usable value for any identifier key of the step (NO_MATCH_KEYS)'),
    consent: count.describe('Opted out of ads or data sharing (CONSENT); adds only'),
  }),
  requests: count.describe(
    'Requests to Meta the sync would make: one per 5-s batch window holding users, ≤ 10,000 each',
  ),
  quotaHours: z
    .number()
    .min(0)
    .nullable()
    .describe("Hours of the account's quota those requests take at what the sync sustains; null without an account"),
});

const StepProjection = z.object({
  stepId: z.string(),
  kind: z.string(),
  name: z.string().nullable(),
  entered: count,
  proceeded: count,
  exited: count,
  converted: count,
  waiting: count.describe('Still waiting in this delay when the window ends'),
  branches: z.array(Branch).nullable().describe('For splits: the users who took each way'),
  facebook: FacebookProjection.nullable(),
  sampleUserIds: z.array(z.string()).describe('The first users (by id) who reached the step, at most 10'),
});

const HourlyLoad = z.object({ mean: rate, peak: rate });

const AccountProjection = z.object({
  adAccountId: z.string().describe('act_…'),
  steps: z.array(z.string()),
  users: count.describe('Users the steps would send to Meta in the window'),
  requests: count,
  usersPerHour: HourlyLoad.describe(
    'Over the whole window, and in its busiest hour (as a rate: a short last hour is scaled)',
  ),
  requestsPerHour: HourlyLoad,
  capacityPerHour: rate.describe('Requests an hour the sync sustains on this account (see the quota plan)'),
  quotaHours: z.number().min(0).describe("Hours of the account's quota the requests take"),
});

export const DryRunResult = z.object({
  totals: z.object({
    entered: count,
    control: count,
    converted: count,
    controlConverted: count,
    exited: count,
    completed: count,
    capped: count.describe('Entries the target cap refused'),
    waiting: count.describe('Still in a delay when the window ends'),
  }),
  steps: z.array(StepProjection),
  accounts: z.array(AccountProjection).describe('Per ad account: the load the Facebook steps would add'),
  users: z.object({
    scanned: count.describe('Profiles of the workspace looked at'),
    replayed: count.describe('Users with behaviour the canvas reacts to in the window (or judged by a segment run)'),
    entered: count.describe('Distinct users who entered'),
  }),
  events: count.describe('Window events replayed through the engine'),
  historyRows: count.describe('History rows read (the cost counted against the workspace)'),
  segmentRuns: count.describe('Runs of a segment-entry canvas inside the window'),
  notes: z.array(z.string()).describe('What the projection could not know or chose to leave out'),
});
export type DryRunResult = z.infer<typeof DryRunResult>;

export const DryRunView = z
  .object({
    id: z.uuid(),
    canvasId: z.uuid(),
    version: z.number().int(),
    window: z.object({ from: IsoDate, to: IsoDate }),
    status: z.enum(dryRunStatuses),
    progress: z.object({
      fraction: z.number().min(0).max(1).describe("Share of the workspace's users looked at, over all passes"),
      users: count,
      totalUsers: count,
      pass: z.number().int().describe('A target cap that binds takes a second pass'),
      passes: z.number().int(),
    }),
    cost: z.object({ historyRows: count }),
    requestedBy: z.string().describe('Label of the API key that asked for it'),
    createdAt: IsoDate,
    startedAt: IsoDate.nullable(),
    finishedAt: IsoDate.nullable(),
    failure: z
      .string()
      .nullable()
      .describe('Why a failed run stopped: budget_exhausted, canvas_unreadable, interrupted, or the error class'),
    result: DryRunResult.nullable().describe('The projection, once done'),
  })
  .meta({
    examples: [
      {
        id: '0d7f4b8e-3f0a-4a51-9d1e-6a1f2c3b4d5e',
        canvasId: '6b8e2c1d-7a4f-4e3b-9c2d-1e0f3a4b5c6d',
        version: 2,
        window: { from: '2026-11-15T09:00:00.000Z', to: '2026-11-22T09:00:00.000Z' },
        status: 'done',
        progress: { fraction: 1, users: 10000, totalUsers: 10000, pass: 1, passes: 1 },
        cost: { historyRows: 41873 },
        requestedBy: 'CI pipeline',
        createdAt: '2026-11-22T09:00:00.000Z',
        startedAt: '2026-11-22T09:00:00.120Z',
        finishedAt: '2026-11-22T09:00:01.870Z',
        failure: null,
        result: {
          totals: {
            entered: 3120,
            control: 0,
            converted: 410,
            controlConverted: 0,
            exited: 0,
            completed: 3120,
            capped: 0,
            waiting: 0,
          },
          steps: [
            {
              stepId: 'split',
              kind: 'audience_split',
              name: null,
              entered: 3120,
              proceeded: 3120,
              exited: 0,
              converted: 0,
              waiting: 0,
              branches: [
                { index: 0, name: 'US', next: 'fb_us', percent: null, users: 1890 },
                { index: null, name: 'else', next: 'fb_rest', percent: null, users: 1230 },
              ],
              facebook: null,
              sampleUserIds: ['user-00012', 'user-00031'],
            },
            {
              stepId: 'fb_us',
              kind: 'facebook_audience',
              name: null,
              entered: 1890,
              proceeded: 1890,
              exited: 0,
              converted: 260,
              waiting: 0,
              branches: null,
              facebook: {
                adAccountId: 'act_1234567890',
                action: 'add',
                matchKeys: ['EMAIL', 'PHONE'],
                synced: 1702,
                notSynced: { total: 188, noMatchKeys: 131, consent: 57 },
                requests: 1644,
                quotaHours: 0.0089,
              },
              sampleUserIds: ['user-00012'],
            },
          ],
          accounts: [
            {
              adAccountId: 'act_1234567890',
              steps: ['fb_us', 'fb_rest'],
              users: 2810,
              requests: 2702,
              usersPerHour: { mean: 16.7, peak: 61 },
              requestsPerHour: { mean: 16.1, peak: 58 },
              capacityPerHour: 184300,
              quotaHours: 0.0147,
            },
          ],
          users: { scanned: 10000, replayed: 6210, entered: 3120 },
          events: 41873,
          historyRows: 41873,
          segmentRuns: 0,
          notes: [],
        },
      },
    ],
  });
export type DryRunView = z.infer<typeof DryRunView>;

/** A dry run as the API answers it. */
export function dryRunView(run: DryRunRecord): DryRunView {
  const passes = Math.max(1, run.passes);
  const perPass = run.usersTotal > 0 ? Math.min(1, run.usersDone / run.usersTotal) : 0;
  const fraction =
    run.status === 'done' ? 1 : Math.min(1, (Math.max(0, run.pass - 1) + (run.pass > 0 ? perPass : 0)) / passes);
  const parsed = run.status === 'done' ? DryRunResult.safeParse(run.result) : undefined;
  return {
    id: run.id,
    canvasId: run.canvasId,
    version: run.version,
    window: { from: run.from.toISOString(), to: run.to.toISOString() },
    status: run.status,
    progress: {
      fraction,
      users: run.usersDone,
      totalUsers: run.usersTotal,
      pass: run.pass,
      passes,
    },
    cost: { historyRows: run.costEvents },
    requestedBy: run.requestedBy,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    failure: run.failure,
    result: parsed?.success ? parsed.data : null,
  };
}
