import type { AudienceHealth } from '@canvas/db';
import { assertNever } from '@canvas/canvas';

export const audienceHealthCodes = ['audience_flagged', 'audience_not_sac_eligible'] as const;
export type AudienceHealthCode = (typeof audienceHealthCodes)[number];

/** What Meta reported about an audience's health, as a canvas account problem with what to do. */
export function audienceHealthProblem(health: AudienceHealth, adAccountId: string, steps: string[]) {
  const base = { adAccountId, steps, audienceId: health.audienceId };
  switch (health.problem) {
    case 'flagged':
      return {
        ...base,
        code: 'audience_flagged' as const,
        message:
          `Meta flagged audience ${health.audienceId} (${health.message}): ` +
          'its members cannot change and new campaigns cannot use it',
        hint:
          "resolve it in Ads Manager (Meta's help: https://www.facebook.com/business/help/1055828013359808), " +
          'or edit the steps to use another audience and launch the new version; ' +
          'until then users are Errored META_AUDIENCE_FLAGGED',
      };
    case 'not_sac_eligible':
      return {
        ...base,
        code: 'audience_not_sac_eligible' as const,
        message:
          `Meta says audience ${health.audienceId} cannot be used in housing, employment or financial products ` +
          'and services campaigns (is_eligible_for_sac_campaigns is false)',
        hint:
          'keep it out of ad sets of special-ad-category campaigns, ' +
          'or certify eligibility on the ad set (is_sac_cfca_terms_certified) if it complies',
      };
    default:
      return assertNever(health.problem);
  }
}
