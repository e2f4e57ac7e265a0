import type { GraphCall, GraphResult } from './client.js';

/** An ad set as the link needs it: its targeting is the whole spec Meta replaces on every write. */
export interface AdSet {
  id: string;
  name: string;
  accountId: string;
  status?: string;
  targeting: Targeting;
  /** Meta's last-change time; compared before a write to notice a change made meanwhile. */
  updatedTime: string;
}

export type Targeting = Record<string, unknown> & {
  custom_audiences?: { id: string; name?: string }[];
  excluded_custom_audiences?: { id: string; name?: string }[];
};

const adSetFields = 'id,name,account_id,effective_status,targeting,updated_time';
const actId = (adAccountId: string) => `act_${adAccountId.replace(/^act_/, '')}`;
// ad set calls spend the ads_management quota, not the custom_audience one
const adsUsage = { usageAccountId: '*', usageType: 'ads_management' } as const;

const toAdSet = (raw: Record<string, unknown>): AdSet => ({
  id: String(raw.id),
  name: typeof raw.name === 'string' ? raw.name : String(raw.id),
  accountId: (typeof raw.account_id === 'string' || typeof raw.account_id === 'number'
    ? String(raw.account_id)
    : ''
  ).replace(/^act_/, ''),
  ...(typeof raw.effective_status === 'string' ? { status: raw.effective_status } : {}),
  targeting: (raw.targeting ?? {}) as Targeting,
  updatedTime: typeof raw.updated_time === 'string' ? raw.updated_time : '',
});

/** Ad set reads and the targeting write, on the client's transport. */
export function adSetCalls(call: GraphCall) {
  return {
    async listAdSets(
      token: string,
      adAccountId: string,
      page: { limit?: number; after?: string } = {},
    ): Promise<GraphResult<{ adSets: AdSet[]; after?: string }>> {
      const query: Record<string, string> = { fields: adSetFields, limit: String(page.limit ?? 100) };
      if (page.after) query.after = page.after;
      const result = await call<{
        data?: Record<string, unknown>[];
        paging?: { cursors?: { after?: string }; next?: string };
      }>('GET', `${actId(adAccountId)}/adsets`, token, { query, ...adsUsage });
      const after = result.data.paging?.next ? result.data.paging.cursors?.after : undefined;
      return {
        usage: result.usage,
        data: { adSets: (result.data.data ?? []).map(toAdSet), ...(after ? { after } : {}) },
      };
    },

    async getAdSet(token: string, adSetId: string): Promise<GraphResult<AdSet>> {
      const result = await call<Record<string, unknown>>('GET', adSetId, token, {
        query: { fields: adSetFields },
        ...adsUsage,
      });
      return { usage: result.usage, data: toAdSet(result.data) };
    },

    /** Replaces the ad set's whole targeting spec, as Meta's update does. */
    async updateAdSetTargeting(token: string, adSetId: string, targeting: Targeting): Promise<GraphResult<unknown>> {
      return call('POST', adSetId, token, { body: { targeting }, ...adsUsage });
    },
  };
}

export type AdSetCalls = ReturnType<typeof adSetCalls>;
