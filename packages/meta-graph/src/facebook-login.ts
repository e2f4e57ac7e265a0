import type { GraphCall } from './client.js';

/** The app's side of Facebook Login: what the code exchange needs besides the code. */
export interface AppCredentials {
  appId: string;
  appSecret: string;
}

export interface IssuedToken {
  accessToken: string;
  /** Seconds the token lives, when Meta says. */
  expiresIn?: number;
}

export interface ReachableAdAccount {
  id: string;
  name: string;
  accountStatus?: number;
}

const toToken = (raw: { access_token?: string; expires_in?: number }): IssuedToken => {
  if (!raw.access_token) throw new Error('Meta answered the token exchange without a token');
  return { accessToken: raw.access_token, ...(raw.expires_in === undefined ? {} : { expiresIn: raw.expires_in }) };
};

/** The authorization-code flow and the ad accounts a user token reaches. */
export function facebookLoginCalls(call: GraphCall) {
  return {
    /** The code from the login redirect, for a short-lived user token; the redirect URI must match the dialog's. */
    async exchangeCode(app: AppCredentials, code: string, redirectUri: string): Promise<IssuedToken> {
      const { data } = await call<{ access_token?: string; expires_in?: number }>('GET', 'oauth/access_token', '', {
        query: { client_id: app.appId, client_secret: app.appSecret, redirect_uri: redirectUri, code },
      });
      return toToken(data);
    },

    /** A short-lived user token for a long-lived one (about 60 days). */
    async longLivedToken(app: AppCredentials, shortLived: string): Promise<IssuedToken> {
      const { data } = await call<{ access_token?: string; expires_in?: number }>('GET', 'oauth/access_token', '', {
        query: {
          grant_type: 'fb_exchange_token',
          client_id: app.appId,
          client_secret: app.appSecret,
          fb_exchange_token: shortLived,
        },
      });
      return toToken(data);
    },

    /** Every ad account the token can reach, all pages. */
    async reachableAdAccounts(token: string): Promise<ReachableAdAccount[]> {
      const found: ReachableAdAccount[] = [];
      let after: string | undefined;
      do {
        const query: Record<string, string> = { fields: 'account_id,name,account_status', limit: '100' };
        if (after) query.after = after;
        const { data } = await call<{
          data?: { id?: string; account_id?: string; name?: string; account_status?: number }[];
          paging?: { cursors?: { after?: string }; next?: string };
        }>('GET', 'me/adaccounts', token, { query });
        for (const raw of data.data ?? []) {
          const id = String(raw.account_id ?? raw.id ?? '').replace(/^act_/, '');
          found.push({
            id,
            name: raw.name ?? `act_${id}`,
            ...(raw.account_status === undefined ? {} : { accountStatus: raw.account_status }),
          });
        }
        after = data.paging?.next ? data.paging.cursors?.after : undefined;
      } while (after !== undefined);
      return found;
    },
  };
}
