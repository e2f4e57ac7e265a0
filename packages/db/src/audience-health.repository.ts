import type { Executor } from './connection.js';

export const audienceHealthProblems = ['flagged', 'not_sac_eligible'] as const;
export type AudienceHealthProblem = (typeof audienceHealthProblems)[number];

export interface AudienceHealth {
  audienceId: string;
  problem: AudienceHealthProblem;
  metaAccountId: string;
  message: string;
  detectedAt: Date;
}

/** Meta reported the problem (a refused write, or a read of the audience); the first report is kept. */
export async function noteAudienceHealth(db: Executor, health: AudienceHealth): Promise<void> {
  await db
    .insertInto('audience_health')
    .values({
      audience_id: health.audienceId,
      problem: health.problem,
      meta_account_id: health.metaAccountId,
      message: health.message,
      detected_at: health.detectedAt,
    })
    .onConflict((oc) => oc.columns(['audience_id', 'problem']).doNothing())
    .execute();
}

/** Meta no longer reports the problem (or, without `problem`, any of them). */
export async function clearAudienceHealth(
  db: Executor,
  audienceId: string,
  problem?: AudienceHealthProblem,
): Promise<void> {
  let query = db.deleteFrom('audience_health').where('audience_id', '=', audienceId);
  if (problem) query = query.where('problem', '=', problem);
  await query.execute();
}

export async function audienceHealthAmong(db: Executor, audienceIds: readonly string[]): Promise<AudienceHealth[]> {
  if (audienceIds.length === 0) return [];
  const rows = await db
    .selectFrom('audience_health')
    .selectAll()
    .where('audience_id', 'in', [...audienceIds])
    .orderBy('audience_id')
    .orderBy('problem')
    .execute();
  return rows.map((r) => ({
    audienceId: r.audience_id,
    problem: r.problem,
    metaAccountId: r.meta_account_id,
    message: r.message,
    detectedAt: r.detected_at,
  }));
}
