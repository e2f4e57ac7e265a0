import type { CanvasDefinition } from '@canvas/canvas';
import type { ResolvedSteps } from '@canvas/db';
import { isGraphApiError, linkAudienceToAdSet } from '@canvas/meta-graph';
import type { StepAccount } from './audience-resolution.js';
import type { ApiDeps } from './deps.js';
import type { FieldProblem } from './problem.js';

/**
 * Adds each step's audience to the ad sets it names, keeping the rest of their targeting. Links
 * made are recorded in `resolved` (a retry skips them); each one that failed is a problem at its field.
 */
export async function linkAdSets(
  deps: ApiDeps,
  definition: CanvasDefinition,
  resolved: ResolvedSteps,
  accounts: Map<string, StepAccount>,
): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  for (const [index, step] of definition.steps.entries()) {
    if (step.kind !== 'facebook_audience' || !step.adSetIds?.length) continue;
    const target = resolved[step.id];
    const account = accounts.get(step.id);
    if (!target || !account) continue;
    const linked = new Set(target.linkedAdSets ?? []);
    for (const [j, adSetId] of step.adSetIds.entries()) {
      if (linked.has(adSetId)) continue;
      const path = `/steps/${index}/adSetIds/${j}`;
      try {
        const outcome = await linkAudienceToAdSet(deps.directory, account.token, adSetId, {
          id: target.audienceId,
          ...(target.audienceName ? { name: target.audienceName } : {}),
        });
        if (outcome.linked) linked.add(adSetId);
        else problems.push({ code: 'ad_set_changing', path, message: outcome.reason });
      } catch (error) {
        if (!isGraphApiError(error)) throw error;
        problems.push({
          code: 'ad_set_link_failed',
          path,
          message: `Meta refused to add audience ${target.audienceId} to ad set ${adSetId}: ${error.message}`,
        });
      }
    }
    target.linkedAdSets = [...linked];
  }
  return problems;
}
