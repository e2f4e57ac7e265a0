import { actAdAccountId, bareAdAccountId } from './ids.js';
import { readPage, type PageRequest } from './paging.js';
import type { GraphCall, GraphResult } from './transport.js';

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

/** Ad set reads and the targeting write. */
export interface AdSetCalls {
  listAdSets: (
    token: string,
    adAccountId: string,
    page?: PageRequest,
  ) => Promise<GraphResult<{ adSets: AdSet[]; after?: string }>>;
  getAdSet: (token: string, adSetId: string) => Promise<GraphResult<AdSet>>;
  /** Replaces the ad set's whole targeting spec, as Meta's update does. */
  updateAdSetTargeting: (token: string, adSetId: string, targeting: Targeting) => Promise<GraphResult<unknown>>;
}

const adSetFields = 'id,name,account_id,effective_status,targeting,updated_time';
// ad set calls spend the ads_management quota, not the custom_audience one
const adsUsage = { usageAccountId: '*', usageType: 'ads_management' } as const;

const toAdSet = (raw: Record<string, unknown>): AdSet => ({
  id: String(raw.id),
  name: typeof raw.name === 'string' ? raw.name : String(raw.id),
  accountId: bareAdAccountId(
    typeof raw.account_id === 'string' || typeof raw.account_id === 'number' ? String(raw.account_id) : '',
  ),
  ...(typeof raw.effective_status === 'string' ? { status: raw.effective_status } : {}),
  targeting: (raw.targeting ?? {}) as Targeting,
  updatedTime: typeof raw.updated_time === 'string' ? raw.updated_time : '',
});

/** Ad set reads and the targeting write, on the client's transport. */
export function adSetCalls(call: GraphCall): AdSetCalls {
  return {
    async listAdSets(token, adAccountId, page = {}) {
      const result = await readPage(call, `${actAdAccountId(adAccountId)}/adsets`, token, {
        fields: adSetFields,
        page,
        ...adsUsage,
      });
      const { rows, after } = result.data;
      return { usage: result.usage, data: { adSets: rows.map(toAdSet), ...(after ? { after } : {}) } };
    },

    async getAdSet(token, adSetId) {
      const result = await call<Record<string, unknown>>('GET', adSetId, token, {
        query: { fields: adSetFields },
        ...adsUsage,
      });
      return { usage: result.usage, data: toAdSet(result.data) };
    },

    async updateAdSetTargeting(token, adSetId, targeting) {
      return call('POST', adSetId, token, { body: { targeting }, ...adsUsage });
    },
  };
}
