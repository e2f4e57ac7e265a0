import type { AdAccountDirectory } from '@canvas/meta-graph';

/** Meta's limit on customer-file custom audiences per ad account (Braze's troubleshooting names it too). */
export const customerFileAudienceLimit = 500;

/** Customer-file custom audiences an ad account has now, read page by page. */
export async function customerFileAudienceCount(
  directory: AdAccountDirectory,
  token: string,
  metaAccountId: string,
): Promise<number> {
  let count = 0;
  let after: string | undefined;
  do {
    const { data } = await directory.listCustomAudiences(token, metaAccountId, {
      limit: 500,
      ...(after ? { after } : {}),
    });
    // an audience without a subtype is counted: the limit is never underestimated
    count += data.audiences.filter((a) => a.subtype === undefined || a.subtype === 'CUSTOM').length;
    after = data.after;
  } while (after !== undefined);
  return count;
}

export const audienceLimitProblem = (metaAccountId: string, count: number) => ({
  problem: 'audience_limit_reached',
  message: `act_${metaAccountId} already has ${count} customer-file custom audiences, Meta's limit is ${customerFileAudienceLimit}: delete unneeded ones in Audience Manager, or use an existing audience by id`,
});
