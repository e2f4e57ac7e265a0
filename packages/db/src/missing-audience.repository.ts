import type { Executor } from './connection.js';

export interface MissingAudience {
  audienceId: string;
  metaAccountId: string;
  message: string;
  detectedAt: Date;
}

/** Meta said the audience does not exist (deleted in Ads Manager, or never visible to the token). */
export async function noteMissingAudience(db: Executor, audience: MissingAudience): Promise<void> {
  await db
    .insertInto('missing_audiences')
    .values({
      audience_id: audience.audienceId,
      meta_account_id: audience.metaAccountId,
      message: audience.message,
      detected_at: audience.detectedAt,
    })
    .onConflict((oc) => oc.column('audience_id').doNothing())
    .execute();
}

/** Meta accepted a write to the audience again. */
export async function clearMissingAudience(db: Executor, audienceId: string): Promise<void> {
  await db.deleteFrom('missing_audiences').where('audience_id', '=', audienceId).execute();
}

export async function missingAmong(db: Executor, audienceIds: readonly string[]): Promise<MissingAudience[]> {
  if (audienceIds.length === 0) return [];
  const rows = await db
    .selectFrom('missing_audiences')
    .selectAll()
    .where('audience_id', 'in', [...audienceIds])
    .execute();
  return rows.map((r) => ({
    audienceId: r.audience_id,
    metaAccountId: r.meta_account_id,
    message: r.message,
    detectedAt: r.detected_at,
  }));
}
