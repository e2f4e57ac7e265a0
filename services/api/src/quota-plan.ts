import { z } from 'zod';
import { pendingStepLoads, recentStepLoads, type AdAccount, type DryRunRecord } from '@canvas/db';
import { planQuota } from '@canvas/meta-graph';
import { accountCapacity } from './account-capacity.js';
import type { ApiDeps } from './deps.js';
import { DryRunResult } from './dry-run-view.js';

const hourMs = 3_600_000;
const rate = z.number().min(0);
const seconds = z.number().min(0).nullable();

export const QuotaPlanView = z
  .object({
    adAccountId: z.string().describe('act_…'),
    quota: z.object({
      perWindow: z.number().int().describe("Meta's custom_audience calls per rolling window, as the sync applies it"),
      windowSeconds: z.number(),
      capacityPerHour: rate.describe("Requests an hour the sync's limiter sustains (its 97 % refill, Meta's pace)"),
      paceFactor: z.number().describe("How much slower Meta's usage headers make the sync go (1: not at all)"),
      usersPerRequest: z.number().int(),
      batchWindowSeconds: z.number(),
      source: z
        .enum(['sync', 'formula'])
        .describe("sync: what the account's owner recorded; formula: Meta's formula, the sync's defaults"),
    }),
    recent: z.object({
      hours: z.number().describe('The span looked back over'),
      usersPerHour: rate.describe('Users the running canvases handed to the sync for Meta, an hour'),
      requestsPerHour: rate.describe('Requests those users took: one per 5-s batch window holding any'),
      canvases: z.array(z.object({ canvasId: z.uuid(), usersPerHour: rate, requestsPerHour: rate })),
    }),
    draft: z
      .object({
        dryRunId: z.uuid(),
        canvasId: z.uuid(),
        version: z.number().int(),
        usersPerHour: rate,
        requestsPerHour: rate,
        peakUsersPerHour: rate,
        peakRequestsPerHour: rate,
      })
      .nullable()
      .describe("The dry run's load added (its canvas's own recent load taken out: the draft replaces it)"),
    backlog: z.object({
      users: z.number().int(),
      requests: z.number().int(),
      oldestWaitSeconds: z.number().min(0),
    }),
    forecast: z.object({
      usersPerHour: rate,
      requestsPerHour: rate,
      utilisation: rate.describe('Forecast requests ÷ capacity: at 1 or more the backlog only grows'),
      peakUtilisation: rate.describe("With the draft's busiest hour"),
    }),
    drainSeconds: seconds.describe('Until the pending users are sent, with the forecast load on top; null: never'),
    projectedDelaySeconds: seconds.describe('How long a user handed off now would wait to be sent; null: without end'),
    peakDelaySeconds: seconds.describe("The wait after the draft's busiest hour"),
    retryWindowSeconds: z.number(),
    retryLimitAtRisk: z
      .boolean()
      .describe('Users would wait past 80 % of the retry window (then they end Errored, RETRY_WINDOW_OVER)'),
    hoursUntilRetryLimit: z.number().nullable().describe('Past the quota: hours until a user would wait that long'),
  })
  .meta({
    examples: [
      {
        adAccountId: 'act_1234567890',
        quota: {
          perWindow: 190040,
          windowSeconds: 3600,
          capacityPerHour: 184339,
          paceFactor: 1,
          usersPerRequest: 10000,
          batchWindowSeconds: 5,
          source: 'sync',
        },
        recent: {
          hours: 1,
          usersPerHour: 48210,
          requestsPerHour: 2160,
          canvases: [{ canvasId: '6b8e2c1d-7a4f-4e3b-9c2d-1e0f3a4b5c6d', usersPerHour: 48210, requestsPerHour: 2160 }],
        },
        draft: {
          dryRunId: '0d7f4b8e-3f0a-4a51-9d1e-6a1f2c3b4d5e',
          canvasId: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d',
          version: 1,
          usersPerHour: 16.7,
          requestsPerHour: 16.1,
          peakUsersPerHour: 61,
          peakRequestsPerHour: 58,
        },
        backlog: { users: 200000, requests: 20, oldestWaitSeconds: 4.1 },
        forecast: { usersPerHour: 48226.7, requestsPerHour: 2176.1, utilisation: 0.0118, peakUtilisation: 0.0121 },
        drainSeconds: 0.4,
        projectedDelaySeconds: 2.9,
        peakDelaySeconds: 2.9,
        retryWindowSeconds: 46800,
        retryLimitAtRisk: false,
        hoursUntilRetryLimit: null,
      },
    ],
  });
export type QuotaPlanView = z.infer<typeof QuotaPlanView>;

const round = (n: number, digits = 4) => Number(n.toFixed(digits));
const roundOrNull = (n: number | null) => (n === null ? null : round(n, 1));

/**
 * One ad account's quota plan: what its running canvases hand to the sync lately, Meta's quota as
 * the sync applies it, the pending backlog, and — with a finished dry run — the draft's load added.
 */
export async function quotaPlan(
  deps: ApiDeps,
  account: AdAccount,
  options: { hours: number; dryRun?: DryRunRecord | undefined },
): Promise<QuotaPlanView> {
  const now = deps.now();
  const metaAccountId = account.metaAccountId;
  const capacity = await accountCapacity(deps.db, metaAccountId);
  const batching = { batchWindowMs: capacity.batchWindowMs, usersPerRequest: capacity.usersPerRequest };
  const replaced = options.dryRun?.canvasId;
  const loads = (
    await recentStepLoads(deps.db, metaAccountId, new Date(now.getTime() - options.hours * hourMs), batching)
  )
    // a draft replaces its canvas's running version: its own recent load makes way for the forecast
    .filter((l) => l.canvasId !== replaced);
  const byCanvas = new Map<string, { users: number; requests: number }>();
  for (const l of loads) {
    const sum = byCanvas.get(l.canvasId) ?? { users: 0, requests: 0 };
    sum.users += l.users;
    sum.requests += l.requests;
    byCanvas.set(l.canvasId, sum);
  }
  const recentUsers = loads.reduce((n, l) => n + l.users, 0) / options.hours;
  const recentRequests = loads.reduce((n, l) => n + l.requests, 0) / options.hours;

  const pending = await pendingStepLoads(deps.db, metaAccountId);
  const backlog = {
    users: pending.reduce((n, p) => n + p.users, 0),
    requests: pending.reduce((n, p) => n + Math.ceil(p.users / capacity.usersPerRequest), 0),
    oldestWaitMs: Math.max(0, ...pending.map((p) => now.getTime() - p.oldest.getTime())),
  };

  const result = options.dryRun ? DryRunResult.safeParse(options.dryRun.result) : undefined;
  const added = result?.success
    ? result.data.accounts.find((a) => a.adAccountId === `act_${metaAccountId}`)
    : undefined;
  const draft =
    options.dryRun && added
      ? {
          mean: { usersPerHour: added.usersPerHour.mean, requestsPerHour: added.requestsPerHour.mean },
          peak: { usersPerHour: added.usersPerHour.peak, requestsPerHour: added.requestsPerHour.peak },
        }
      : undefined;
  const retryWindowMs = deps.erasure?.retryWindowMs ?? 13 * hourMs;
  const plan = planQuota({
    capacity,
    recent: { usersPerHour: recentUsers, requestsPerHour: recentRequests },
    draft,
    backlog,
    retryWindowMs,
  });
  return {
    adAccountId: `act_${metaAccountId}`,
    quota: {
      perWindow: capacity.quotaPerWindow,
      windowSeconds: capacity.windowMs / 1000,
      capacityPerHour: round(plan.capacityPerHour),
      paceFactor: capacity.paceFactor,
      usersPerRequest: capacity.usersPerRequest,
      batchWindowSeconds: capacity.batchWindowMs / 1000,
      source: capacity.source,
    },
    recent: {
      hours: options.hours,
      usersPerHour: round(recentUsers),
      requestsPerHour: round(recentRequests),
      canvases: [...byCanvas.entries()].map(([canvasId, sum]) => ({
        canvasId,
        usersPerHour: round(sum.users / options.hours),
        requestsPerHour: round(sum.requests / options.hours),
      })),
    },
    draft:
      options.dryRun && draft
        ? {
            dryRunId: options.dryRun.id,
            canvasId: options.dryRun.canvasId,
            version: options.dryRun.version,
            usersPerHour: draft.mean.usersPerHour,
            requestsPerHour: draft.mean.requestsPerHour,
            peakUsersPerHour: draft.peak.usersPerHour,
            peakRequestsPerHour: draft.peak.requestsPerHour,
          }
        : null,
    backlog: {
      users: backlog.users,
      requests: backlog.requests,
      oldestWaitSeconds: round(backlog.oldestWaitMs / 1000, 1),
    },
    forecast: {
      usersPerHour: round(plan.forecast.usersPerHour),
      requestsPerHour: round(plan.forecast.requestsPerHour),
      utilisation: round(plan.forecast.utilisation),
      peakUtilisation: round(plan.forecast.peakUtilisation),
    },
    drainSeconds: roundOrNull(plan.drainSeconds),
    projectedDelaySeconds: roundOrNull(plan.projectedDelaySeconds),
    peakDelaySeconds: roundOrNull(plan.peakDelaySeconds),
    retryWindowSeconds: retryWindowMs / 1000,
    retryLimitAtRisk: plan.retryLimitAtRisk,
    hoursUntilRetryLimit: plan.hoursUntilRetryLimit === null ? null : round(plan.hoursUntilRetryLimit, 2),
  };
}
