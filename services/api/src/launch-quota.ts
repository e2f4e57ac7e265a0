import { z } from 'zod';
import type { CanvasDefinition } from '@canvas/canvas';
import { latestDoneDryRun, type AdAccount } from '@canvas/db';
import type { ApiDeps } from './deps.js';
import { facebookStepAccounts } from './facebook-step-accounts.js';
import type { FieldProblem } from './problem.js';
import { quotaPlan } from './quota-plan.js';

export const LaunchWarning = z.object({
  code: z.literal('quota_at_risk'),
  adAccountId: z.string().describe('act_…'),
  steps: z.array(z.string()),
  dryRunId: z.uuid().nullable().describe('The dry run of this version whose load was added; null when none was done'),
  message: z.string(),
  hint: z.string(),
});
export type LaunchWarning = z.infer<typeof LaunchWarning>;

const hours = (seconds: number | null) => (seconds === null ? 'without end' : `${(seconds / 3600).toFixed(1)} h`);

/**
 * Before a launch: would the version's ad accounts keep their users within the sync's retry
 * window? Each account's quota plan, with the newest finished dry run of this version added when
 * there is one. A risk is a warning (`quota_at_risk`), or a launch problem on each step of the
 * account when the workspace asks for that (blockLaunchOnQuotaRisk).
 */
export async function launchQuotaCheck(
  deps: ApiDeps,
  workspaceId: string,
  canvas: { canvasId: string; version: number; definition: CanvasDefinition },
): Promise<{ warnings: LaunchWarning[]; problems: FieldProblem[] }> {
  const accounts = await facebookStepAccounts(deps.db, workspaceId, canvas.definition);
  const steps = new Map<AdAccount, string[]>();
  for (const [stepId, account] of accounts) if (account) steps.set(account, [...(steps.get(account) ?? []), stepId]);
  if (steps.size === 0) return { warnings: [], problems: [] };
  const dryRun = await latestDoneDryRun(deps.db, workspaceId, canvas.canvasId, canvas.version);
  const warnings: LaunchWarning[] = [];
  const problems: FieldProblem[] = [];
  for (const [account, stepIds] of steps) {
    const plan = await quotaPlan(deps, account, { hours: 1, dryRun });
    if (!plan.retryLimitAtRisk) continue;
    const message =
      `act_${account.metaAccountId} would carry ${plan.forecast.requestsPerHour.toFixed(0)} requests an hour ` +
      `against ${plan.quota.capacityPerHour.toFixed(0)} it sustains (busiest hour ` +
      `${(plan.forecast.peakUtilisation * 100).toFixed(0)} %); users would wait ${hours(plan.peakDelaySeconds)}, ` +
      `near the ${(plan.retryWindowSeconds / 3600).toFixed(0)}-hour retry window` +
      (dryRun ? '' : ' (no dry run of this version: its own load is not counted)');
    warnings.push({
      code: 'quota_at_risk',
      adAccountId: plan.adAccountId,
      steps: stepIds,
      dryRunId: plan.draft?.dryRunId ?? null,
      message,
      hint:
        `see GET /v1/ad-accounts/${account.id}/quota-plan; ` +
        'spread the load over other accounts or steps, or launch later',
    });
    for (const stepId of stepIds) {
      const index = canvas.definition.steps.findIndex((s) => s.id === stepId);
      problems.push({ code: 'quota_at_risk', path: `/steps/${index}`, message });
    }
  }
  return { warnings, problems };
}
