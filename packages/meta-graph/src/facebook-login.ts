import { actAdAccountId, bareAdAccountId } from './ids.js';
import { readAllPages } from './paging.js';
import type { GraphCall } from './transport.js';

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

/** The authorization-code flow and the ad accounts a user token reaches. */
export interface FacebookLoginCalls {
  /** The code from the login redirect, for a short-lived user token; the redirect URI must match the dialog's. */
  exchangeCode: (app: AppCredentials, code: string, redirectUri: string) => Promise<IssuedToken>;
  /** A short-lived user token for a long-lived one (about 60 days). */
  longLivedToken: (app: AppCredentials, shortLived: string) => Promise<IssuedToken>;
  /** Every ad account the token can reach, all pages. */
  reachableAdAccounts: (token: string) => Promise<ReachableAdAccount[]>;
}

interface RawToken {
  access_token?: string;
  expires_in?: number;
}

interface RawAdAccount {
  id?: string;
  account_id?: string;
  name?: string;
  account_status?: number;
}

const toToken = (raw: RawToken): IssuedToken => {
  if (!raw.access_token) throw new Error('Meta answered the token exchange without a token');
  return { accessToken: raw.access_token, ...(raw.expires_in === undefined ? {} : { expiresIn: raw.expires_in }) };
};

const toReachable = (raw: RawAdAccount): ReachableAdAccount => {
  const id = bareAdAccountId(String(raw.account_id ?? raw.id ?? ''));
  return {
    id,
    name: raw.name ?? actAdAccountId(id),
    ...(raw.account_status === undefined ? {} : { accountStatus: raw.account_status }),
  };
};

export function facebookLoginCalls(call: GraphCall): FacebookLoginCalls {
  return {
    async exchangeCode(app, code, redirectUri) {
      const { data } = await call<RawToken>('GET', 'oauth/access_token', '', {
        query: { client_id: app.appId, client_secret: app.appSecret, redirect_uri: redirectUri, code },
      });
      return toToken(data);
    },

    async longLivedToken(app, shortLived) {
      const { data } = await call<RawToken>('GET', 'oauth/access_token', '', {
        query: {
          grant_type: 'fb_exchange_token',
          client_id: app.appId,
          client_secret: app.appSecret,
          fb_exchange_token: shortLived,
        },
      });
      return toToken(data);
    },

    async reachableAdAccounts(token) {
      const rows = await readAllPages<RawAdAccount>(call, 'me/adaccounts', token, {
        fields: 'account_id,name,account_status',
      });
      return rows.map(toReachable);
    },
  };
}
