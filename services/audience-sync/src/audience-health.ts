import { clearAudienceHealth, noteAudienceHealth, type Db } from '@canvas/db';
import type { AccountLimiter, AudienceUploader } from '@canvas/meta-graph';
import type { Logger } from '@canvas/runtime';

/** Meta's operation_status code for a flagged audience (restricted by its terms). */
export const flaggedOperationStatus = 471;

export interface AudienceHealthDeps {
  db: Db;
  uploader: AudienceUploader;
  limiter: AccountLimiter;
  metaAccountId: string;
  logger: Logger;
  now: () => Date;
  /** At most one read of an audience's health per interval. */
  intervalMs: number;
}

/**
 * Reads an audience's operation_status and is_eligible_for_sac_campaigns after a write, at most
 * once per interval, and records what Meta reports for canvases to show. Failures are only logged:
 * a health read never holds up uploads.
 */
export function audienceHealthWatch(deps: AudienceHealthDeps) {
  const checkedAt = new Map<string, number>();
  const read = deps.uploader.getCustomAudience;
  return async (token: string, audienceId: string): Promise<void> => {
    const at = deps.now();
    if (!read || at.getTime() - (checkedAt.get(audienceId) ?? -Infinity) < deps.intervalMs) return;
    checkedAt.set(audienceId, at.getTime());
    try {
      const { data } = await deps.limiter.schedule(() => read(token, audienceId, deps.metaAccountId));
      const base = { audienceId, metaAccountId: deps.metaAccountId, detectedAt: at };
      const said = data.operationStatus?.description;
      await deps.db.transaction().execute(async (tx) => {
        if (data.operationStatus?.code === flaggedOperationStatus)
          await noteAudienceHealth(tx, {
            ...base,
            problem: 'flagged',
            message: `operation_status 471${said ? `: ${said}` : ''}`,
          });
        else if (data.operationStatus) await clearAudienceHealth(tx, audienceId, 'flagged');
        if (data.sacEligible === false)
          await noteAudienceHealth(tx, {
            ...base,
            problem: 'not_sac_eligible',
            message: 'is_eligible_for_sac_campaigns is false',
          });
        else if (data.sacEligible === true) await clearAudienceHealth(tx, audienceId, 'not_sac_eligible');
      });
    } catch (error) {
      deps.logger.warn({ err: error, audienceId }, 'audience health read failed; next write tries again');
      checkedAt.delete(audienceId);
    }
  };
}
