import { adAccountTokenRow, recordTokenCheck, type AdAccountWithToken, type Db } from '@canvas/db';
import { isGraphApiError, type AccountLimiter, type AdAccountDirectory } from '@canvas/meta-graph';
import type { Logger, TokenCipher } from '@canvas/runtime';
import type { SyncMetrics } from './sync-metrics.js';

export interface TokenCheckDeps {
  db: Db;
  /** Meta's debug_token; without it tokens are only judged by uploads. */
  tokens?: Pick<AdAccountDirectory, 'debugToken'> | undefined;
  /** How often each connected token is checked. */
  tokenCheckIntervalMs: number;
  cipher: TokenCipher;
  limiter: AccountLimiter;
  logger: Logger;
  metrics: SyncMetrics;
}

/** How long a check that could not reach a verdict waits before it is tried again. */
const retryAfterFailedCheckMs = 60_000;

/**
 * Asks Meta about each connected token once per interval, paced by the account's limiter: a
 * token Meta no longer accepts disconnects its connection before any upload needs it.
 */
export function tokenCheck(deps: TokenCheckDeps) {
  /** Connection id → when a failed token check may be tried again. */
  const retryAt = new Map<string, number>();

  /** Checks the connections that are due; answers the ids of those Meta no longer accepts. */
  return async function checkTokens(connections: Iterable<AdAccountWithToken>, now: Date): Promise<string[]> {
    const { tokens, tokenCheckIntervalMs, metrics, logger } = deps;
    const refused: string[] = [];
    if (!tokens) return refused;
    for (const connection of connections) {
      if (connection.status !== 'connected') continue;
      const checkedAt = connection.tokenCheckedAt?.getTime() ?? 0;
      if (now.getTime() - checkedAt < tokenCheckIntervalMs) continue;
      if ((retryAt.get(connection.id) ?? 0) > now.getTime()) continue;
      const token = deps.cipher.decrypt(connection.tokenCiphertext, adAccountTokenRow(connection));
      let check: { valid: boolean; expiresAt: Date | null; reason: string };
      try {
        const info = await deps.limiter.schedule(() => tokens.debugToken(token));
        check = {
          valid: info.isValid,
          expiresAt: info.expiresAt ? new Date(info.expiresAt * 1000) : null,
          reason: 'Meta says the token is no longer valid (expired or revoked); reconnect the account',
        };
      } catch (error) {
        if (!isGraphApiError(error) || error.classification !== 'token_invalid') {
          metrics.tokenChecks.inc({ outcome: 'failed' });
          logger.warn({ err: error, connectionId: connection.id }, 'could not check a token; trying again later');
          retryAt.set(connection.id, now.getTime() + retryAfterFailedCheckMs);
          continue;
        }
        check = { valid: false, expiresAt: connection.tokenExpiresAt, reason: `${error.code}: ${error.message}` };
      }
      await recordTokenCheck(deps.db, connection.id, { ...check, now });
      metrics.tokenChecks.inc({ outcome: check.valid ? 'valid' : 'invalid' });
      if (!check.valid) {
        refused.push(connection.id);
        logger.warn(
          { connectionId: connection.id },
          'token check: Meta no longer accepts the token; the account is disconnected and its users held',
        );
      }
    }
    return refused;
  };
}
