import type { AdSetCalls } from './ad-sets.js';
import type { GraphResult } from './transport.js';
import { GraphApiError, isGraphApiError } from './errors.js';

export interface AdSetPacingOptions {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** A block shorter than this is waited out; a longer one refuses the call as throttled. */
  maxWaitMs?: number;
}

/**
 * Ad set calls paced by Meta's ads_management quota, apart from the custom_audience quota the
 * sync paces: a usage report or an 80004 that says "wait" blocks further calls on that ad account
 * until Meta's regain time (its ad sets are known from earlier reads).
 */
export function pacedAdSetCalls(calls: AdSetCalls, options: AdSetPacingOptions = {}): AdSetCalls {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxWaitMs = options.maxWaitMs ?? 5_000;
  const blockedUntil = new Map<string, number>();
  const accountOfAdSet = new Map<string, string>();

  const paced = async <T>(account: string | undefined, work: () => Promise<GraphResult<T>>) => {
    const until = account === undefined ? 0 : (blockedUntil.get(account) ?? 0);
    const waitMs = until - now();
    if (waitMs > maxWaitMs)
      throw new GraphApiError('throttled', `ads_management quota of ad account ${account} used up; Meta asks to wait`, {
        retryAfterMs: waitMs,
      });
    if (waitMs > 0) await sleep(waitMs);
    try {
      const result = await work();
      if (account !== undefined && result.usage?.regainAccessMs)
        blockedUntil.set(account, now() + result.usage.regainAccessMs);
      return result;
    } catch (error) {
      if (account !== undefined && isGraphApiError(error) && error.classification === 'throttled')
        blockedUntil.set(account, now() + (error.details.retryAfterMs ?? 0));
      throw error;
    }
  };
  const bare = (adAccountId: string) => adAccountId.replace(/^act_/, '');

  return {
    async listAdSets(token, adAccountId, page) {
      const result = await paced(bare(adAccountId), () => calls.listAdSets(token, adAccountId, page));
      for (const adSet of result.data.adSets) accountOfAdSet.set(adSet.id, bare(adAccountId));
      return result;
    },
    async getAdSet(token, adSetId) {
      const result = await paced(accountOfAdSet.get(adSetId), () => calls.getAdSet(token, adSetId));
      const account = result.data.accountId;
      // the first read of an ad set learns its account, and the block its usage reports
      if (account && !accountOfAdSet.has(adSetId)) {
        accountOfAdSet.set(adSetId, account);
        if (result.usage?.regainAccessMs) blockedUntil.set(account, now() + result.usage.regainAccessMs);
      }
      return result;
    },
    updateAdSetTargeting: (token, adSetId, targeting) =>
      paced(accountOfAdSet.get(adSetId), () => calls.updateAdSetTargeting(token, adSetId, targeting)),
  };
}
