/**
 * An ad account id as stored and logged: Meta's number without the `act_` prefix.
 * @example bareAdAccountId('act_123') === '123'
 */
export const bareAdAccountId = (adAccountId: string): string => adAccountId.replace(/^act_/, '');

/** The Graph node of an ad account, `act_<id>`, whichever spelling it is given. */
export const actAdAccountId = (adAccountId: string): string => `act_${bareAdAccountId(adAccountId)}`;
