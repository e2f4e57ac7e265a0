import { isGraphApiError, type AdAccountDirectory } from '@canvas/meta-graph';
import type { AdAccountStatus } from '@canvas/db';
import { apiError } from './problem.js';

export interface ConnectionCheck {
  name: string;
  status: AdAccountStatus;
  reason: string | null;
  /** When Meta says the token expires; null when it never does. */
  tokenExpiresAt: Date | null;
}

/** How long before a token's expiry the API warns about it. */
export const tokenWarningMs = 7 * 86_400_000;

/** `expires_soon` within a week of the token's expiry, `expired` after it, otherwise null. */
export function tokenWarning(expiresAt: Date | null, now: Date): 'expires_soon' | 'expired' | null {
  if (!expiresAt) return null;
  if (expiresAt.getTime() <= now.getTime()) return 'expired';
  return expiresAt.getTime() - now.getTime() <= tokenWarningMs ? 'expires_soon' : null;
}

export const tosUrl = (metaAccountId: string) =>
  `https://business.facebook.com/ads/manage/customaudiences/tos/?act=${metaAccountId}`;

const invalidToken = (detail: string) =>
  apiError('TOKEN_INVALID', detail, [{ code: 'token_invalid', path: '/body/accessToken', message: detail }]);

/**
 * Asks Meta whether a token may use an ad account: the token is valid and has ads_management,
 * the account is readable, and whether its custom-audience terms are accepted.
 */
export async function checkConnection(
  directory: AdAccountDirectory,
  token: string,
  metaAccountId: string,
): Promise<ConnectionCheck> {
  try {
    const info = await directory.debugToken(token);
    if (!info.isValid) throw invalidToken('Meta says this access token is not valid (expired or revoked)');
    if (!info.scopes.includes('ads_management')) {
      throw apiError('TOKEN_SCOPE_MISSING', 'the token needs the ads_management permission', [
        { code: 'scope_missing', path: '/body/accessToken', message: 'ads_management is required' },
      ]);
    }
    const { data: account } = await directory.getAdAccount(token, metaAccountId);
    const tokenExpiresAt = info.expiresAt ? new Date(info.expiresAt * 1000) : null;
    return account.customAudienceTosAccepted
      ? { name: account.name, status: 'connected', reason: null, tokenExpiresAt }
      : {
          name: account.name,
          status: 'tos_not_accepted',
          reason: `accept the Custom Audience terms at ${tosUrl(metaAccountId)}`,
          tokenExpiresAt,
        };
  } catch (error) {
    if (!isGraphApiError(error)) throw error;
    if (error.classification === 'token_invalid') throw invalidToken(`Meta rejected the token: ${error.message}`);
    if (error.classification === 'audience_missing' || error.classification === 'permission') {
      throw apiError('AD_ACCOUNT_NOT_ACCESSIBLE', `the token cannot read act_${metaAccountId} (${error.message})`, [
        { code: 'not_accessible', path: '/body/adAccountId', message: 'the token has no access to this ad account' },
      ]);
    }
    throw error;
  }
}
