import { actAdAccountId, bareAdAccountId } from './ids.js';
import type { GraphCall, GraphResult } from './transport.js';

export interface TokenInfo {
  isValid: boolean;
  appId?: string;
  userId?: string;
  type?: string;
  scopes: string[];
  /** Seconds since the epoch; 0 means it never expires. */
  expiresAt?: number;
}

export interface AdAccountInfo {
  id: string;
  name: string;
  accountStatus?: number;
  customAudienceTosAccepted: boolean;
}

interface RawTokenInfo {
  is_valid?: boolean;
  app_id?: string;
  user_id?: string;
  type?: string;
  scopes?: string[];
  expires_at?: number;
}

/** What a token is and what it may do on an ad account; `app` makes the app token debug_token prefers. */
export function tokenCalls(call: GraphCall, app: { appId?: string | undefined; appSecret?: string | undefined } = {}) {
  return {
    /** Inspects a token with the app token when app credentials are configured, else with itself. */
    async debugToken(token: string): Promise<TokenInfo> {
      const appToken = app.appId && app.appSecret ? `${app.appId}|${app.appSecret}` : token;
      const { data } = await call<{ data?: RawTokenInfo }>('GET', 'debug_token', appToken, {
        query: { input_token: token },
      });
      const info = data.data ?? {};
      return {
        isValid: info.is_valid === true,
        scopes: info.scopes ?? [],
        ...(info.app_id ? { appId: info.app_id } : {}),
        ...(info.user_id ? { userId: info.user_id } : {}),
        ...(info.type ? { type: info.type } : {}),
        ...(info.expires_at === undefined ? {} : { expiresAt: info.expires_at }),
      };
    },

    async getAdAccount(token: string, adAccountId: string): Promise<GraphResult<AdAccountInfo>> {
      const result = await call<{
        id: string;
        name?: string;
        account_status?: number;
        tos_accepted?: Record<string, number>;
      }>('GET', actAdAccountId(adAccountId), token, {
        query: { fields: 'id,name,account_status,tos_accepted' },
        usageAccountId: adAccountId,
      });
      const raw = result.data;
      return {
        usage: result.usage,
        data: {
          id: bareAdAccountId(raw.id),
          name: raw.name ?? actAdAccountId(adAccountId),
          ...(raw.account_status === undefined ? {} : { accountStatus: raw.account_status }),
          customAudienceTosAccepted: raw.tos_accepted?.custom_audience_tos === 1,
        },
      };
    },
  };
}
