import { GraphApiError } from './errors.js';
import { actAdAccountId } from './ids.js';
import { readLookalikeSpec, type LookalikeOf } from './lookalikes.js';
import { readPage, type PageRequest } from './paging.js';
import type { GraphCall, GraphResult } from './transport.js';

export interface CustomAudience {
  id: string;
  name?: string;
  description?: string;
  subtype?: string;
  approximateCountLowerBound?: number;
  approximateCountUpperBound?: number;
  deliveryStatus?: { code: number; description?: string };
  operationStatus?: { code: number; description?: string };
  /** Meta's is_eligible_for_sac_campaigns: usable in housing, employment and financial campaigns. */
  sacEligible?: boolean;
  /** Meta's is_value_based: rows carry LOOKALIKE_VALUE. */
  isValueBased?: boolean;
  /** What a lookalike is made of (subtype LOOKALIKE). */
  lookalike?: LookalikeOf;
}

export interface NewCustomAudience {
  name: string;
  description?: string | undefined;
  customerFileSource?: 'USER_PROVIDED_ONLY' | 'PARTNER_PROVIDED_ONLY' | 'BOTH_USER_AND_PARTNER_PROVIDED';
  /** Created with is_value_based: every row then carries LOOKALIKE_VALUE (decision 35). */
  isValueBased?: boolean | undefined;
}

const audienceFields =
  'id,name,description,subtype,approximate_count_lower_bound,approximate_count_upper_bound,delivery_status,' +
  'operation_status,is_eligible_for_sac_campaigns,is_value_based,lookalike_spec';

const lookalikeOf = (raw: unknown): { lookalike?: LookalikeOf } => {
  const lookalike = readLookalikeSpec(raw);
  return lookalike ? { lookalike } : {};
};

const toAudience = (raw: Record<string, unknown>): CustomAudience => ({
  id: String(raw.id),
  ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
  ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
  ...(typeof raw.subtype === 'string' ? { subtype: raw.subtype } : {}),
  ...(typeof raw.approximate_count_lower_bound === 'number'
    ? { approximateCountLowerBound: raw.approximate_count_lower_bound }
    : {}),
  ...(typeof raw.approximate_count_upper_bound === 'number'
    ? { approximateCountUpperBound: raw.approximate_count_upper_bound }
    : {}),
  ...(raw.delivery_status ? { deliveryStatus: raw.delivery_status as { code: number } } : {}),
  ...(raw.operation_status ? { operationStatus: raw.operation_status as { code: number } } : {}),
  ...(typeof raw.is_eligible_for_sac_campaigns === 'boolean' ? { sacEligible: raw.is_eligible_for_sac_campaigns } : {}),
  ...(typeof raw.is_value_based === 'boolean' ? { isValueBased: raw.is_value_based } : {}),
  ...lookalikeOf(raw.lookalike_spec),
});

/** Customer-file custom audiences of an ad account: list, create, read, rename, delete. */
export function customAudienceCalls(call: GraphCall) {
  return {
    async listCustomAudiences(
      token: string,
      adAccountId: string,
      page: PageRequest = {},
    ): Promise<GraphResult<{ audiences: CustomAudience[]; after?: string }>> {
      const result = await readPage(call, `${actAdAccountId(adAccountId)}/customaudiences`, token, {
        fields: audienceFields,
        page,
        usageAccountId: adAccountId,
      });
      const { rows, after } = result.data;
      return { usage: result.usage, data: { audiences: rows.map(toAudience), ...(after ? { after } : {}) } };
    },

    async createCustomAudience(
      token: string,
      adAccountId: string,
      audience: NewCustomAudience,
    ): Promise<GraphResult<{ id: string }>> {
      const result = await call<{ id?: string; data?: { id?: string }[] }>(
        'POST',
        `${actAdAccountId(adAccountId)}/customaudiences`,
        token,
        {
          body: {
            name: audience.name,
            subtype: 'CUSTOM',
            customer_file_source: audience.customerFileSource ?? 'USER_PROVIDED_ONLY',
            ...(audience.description ? { description: audience.description } : {}),
            ...(audience.isValueBased ? { is_value_based: true } : {}),
          },
          usageAccountId: adAccountId,
        },
      );
      // Meta answers {"id"}; one of its pages shows {"data":[{"id"}]}
      const id = result.data.id ?? result.data.data?.[0]?.id;
      if (!id) throw new GraphApiError('transient', 'audience created without an id in the answer');
      return { usage: result.usage, data: { id: String(id) } };
    },

    async getCustomAudience(
      token: string,
      audienceId: string,
      adAccountId?: string,
    ): Promise<GraphResult<CustomAudience>> {
      const result = await call<Record<string, unknown>>('GET', audienceId, token, {
        query: { fields: audienceFields },
        usageAccountId: adAccountId,
      });
      return { usage: result.usage, data: toAudience(result.data) };
    },

    async updateCustomAudience(
      token: string,
      audienceId: string,
      changes: { name?: string; description?: string },
      adAccountId?: string,
    ): Promise<GraphResult<{ success: boolean }>> {
      return call('POST', audienceId, token, { body: changes, usageAccountId: adAccountId });
    },

    async deleteCustomAudience(
      token: string,
      audienceId: string,
      adAccountId?: string,
    ): Promise<GraphResult<{ success: boolean }>> {
      return call('DELETE', audienceId, token, { usageAccountId: adAccountId });
    },
  };
}
