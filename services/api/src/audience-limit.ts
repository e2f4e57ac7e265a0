import type { AdAccountDirectory } from '@canvas/meta-graph';

/** Meta's limit on customer-file custom audiences per ad account (Braze's troubleshooting names it too). */
export const customerFileAudienceLimit = 500;

/** What launch needs to know of an ad account's audiences: how many count against the limit, and their names. */
export interface AccountAudiences {
  customerFile: number;
  names: Set<string>;
}

/** The ad account's custom audiences now, read page by page. */
export async function accountAudiences(
  directory: AdAccountDirectory,
  token: string,
  metaAccountId: string,
): Promise<AccountAudiences> {
  const found: AccountAudiences = { customerFile: 0, names: new Set() };
  let after: string | undefined;
  do {
    const { data } = await directory.listCustomAudiences(token, metaAccountId, {
      limit: 500,
      ...(after ? { after } : {}),
    });
    for (const audience of data.audiences) {
      // an audience without a subtype is counted: the limit is never underestimated
      if (audience.subtype === undefined || audience.subtype === 'CUSTOM') found.customerFile += 1;
      if (audience.name !== undefined) found.names.add(audience.name);
    }
    after = data.after;
  } while (after !== undefined);
  return found;
}

export const audienceLimitProblem = (metaAccountId: string, count: number) => ({
  problem: 'audience_limit_reached',
  message:
    `act_${metaAccountId} already has ${count} customer-file custom audiences, ` +
    `Meta's limit is ${customerFileAudienceLimit}: delete unneeded ones in Audience Manager, ` +
    'or use an existing audience by id',
});

export const audienceNameProblem = (metaAccountId: string, name: string) => ({
  problem: 'audience_name_taken',
  at: '/create/name',
  message:
    `act_${metaAccountId} already has an audience named "${name}": ` +
    'choose another name, or use that audience by id',
});
