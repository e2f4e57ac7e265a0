import type { Executor } from './connection.js';

/** How the sync's owner of a Meta ad account works it: Meta's quota as it applies it, and its batching. */
export interface AccountCapacity {
  metaAccountId: string;
  /** Calls per rolling window the limiter allows, and the window. */
  quotaPerWindow: number;
  windowMs: number;
  /** Share of the quota the token bucket refills. */
  safety: number;
  usersPerRequest: number;
  batchWindowMs: number;
  /** How much slower than the quota Meta's usage headers make it go (1: not at all). */
  paceFactor: number;
  recordedAt: Date;
}

/** What the owner uses now; written when it takes the account and when its pace changes. */
export async function recordAccountCapacity(db: Executor, capacity: AccountCapacity): Promise<void> {
  const values = {
    meta_account_id: capacity.metaAccountId,
    quota_per_window: capacity.quotaPerWindow,
    window_ms: capacity.windowMs,
    safety: capacity.safety,
    users_per_request: capacity.usersPerRequest,
    batch_window_ms: capacity.batchWindowMs,
    pace_factor: capacity.paceFactor,
    recorded_at: capacity.recordedAt,
  };
  await db
    .insertInto('meta_account_capacity')
    .values(values)
    .onConflict((oc) => oc.column('meta_account_id').doUpdateSet(values))
    .execute();
}

export async function findAccountCapacity(db: Executor, metaAccountId: string): Promise<AccountCapacity | undefined> {
  const row = await db
    .selectFrom('meta_account_capacity')
    .selectAll()
    .where('meta_account_id', '=', metaAccountId)
    .executeTakeFirst();
  return (
    row && {
      metaAccountId: row.meta_account_id,
      quotaPerWindow: row.quota_per_window,
      windowMs: Number(row.window_ms),
      safety: row.safety,
      usersPerRequest: row.users_per_request,
      batchWindowMs: row.batch_window_ms,
      paceFactor: row.pace_factor,
      recordedAt: row.recorded_at,
    }
  );
}
