import type { FacebookAudienceStep } from '@canvas/canvas';
import { isGraphApiError } from '@canvas/meta-graph';
import type { ApiDeps } from './deps.js';
import type { FieldProblem } from './problem.js';

/** Every ad set a step names must exist in the step's ad account: checked before anything changes at Meta. */
export async function adSetProblems(
  deps: ApiDeps,
  step: FacebookAudienceStep,
  index: number,
  account: { metaAccountId: string; token: string },
): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  for (const [j, adSetId] of (step.adSetIds ?? []).entries()) {
    const path = `/steps/${index}/adSetIds/${j}`;
    try {
      const { data } = await deps.directory.getAdSet(account.token, adSetId);
      if (data.accountId !== account.metaAccountId)
        problems.push({
          code: 'ad_set_other_account',
          path,
          message: `ad set ${adSetId} belongs to act_${data.accountId}, not to the step's act_${account.metaAccountId}`,
        });
    } catch (error) {
      if (!isGraphApiError(error) || !['audience_missing', 'permission'].includes(error.classification)) throw error;
      problems.push({
        code: 'ad_set_not_found',
        path,
        message: `ad set ${adSetId} does not exist or act_${account.metaAccountId}'s token cannot read it`,
      });
    }
  }
  return problems;
}
