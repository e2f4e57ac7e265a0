import { audiencesOnAccount, findAccountCapacity, type Db } from '@canvas/db';
import { customAudienceQuota, sustainedRequestsPerHour, type SyncCapacity } from '@canvas/meta-graph';

/** The sync's defaults (META_QUOTA_WINDOW, META_QUOTA_SAFETY, SYNC_MAX_USERS_PER_REQUEST, SYNC_BATCH_WINDOW). */
const syncDefaults = { windowMs: 3_600_000, safety: 0.97, usersPerRequest: 10_000, batchWindowMs: 5000, paceFactor: 1 };

export interface AccountCapacityView extends SyncCapacity {
  /** sync: what the account's owner recorded; formula: Meta's formula with the sync's defaults (no owner yet). */
  source: 'sync' | 'formula';
  capacityPerHour: number;
}

/**
 * How the sync works a Meta ad account: what its owner recorded when it took the account (and
 * as Meta's usage headers changed its pace), else Meta's formula (190,000 + 40 × audiences an
 * hour) with the sync's default settings.
 */
export async function accountCapacity(db: Db, metaAccountId: string): Promise<AccountCapacityView> {
  const recorded = await findAccountCapacity(db, metaAccountId);
  const capacity: SyncCapacity = recorded
    ? {
        quotaPerWindow: recorded.quotaPerWindow,
        windowMs: recorded.windowMs,
        safety: recorded.safety,
        usersPerRequest: recorded.usersPerRequest,
        batchWindowMs: recorded.batchWindowMs,
        paceFactor: recorded.paceFactor,
      }
    : { ...syncDefaults, quotaPerWindow: customAudienceQuota(await audiencesOnAccount(db, metaAccountId)) };
  return { ...capacity, source: recorded ? 'sync' : 'formula', capacityPerHour: sustainedRequestsPerHour(capacity) };
}
