import { sql } from 'kysely';
import type { Executor } from './connection.js';

export const lookalikeStatuses = ['waiting_for_source', 'creating', 'created', 'refused'] as const;
export type LookalikeStatus = (typeof lookalikeStatuses)[number];

/** One lookalike per Meta ad account, source audience, countries and size: Meta allows no second. */
export interface LookalikeKey {
  metaAccountId: string;
  sourceAudienceId: string;
  /** Upper case, sorted, unique. */
  countries: readonly string[];
  ratioPercent: number;
}

/** What Meta last said of a created lookalike. */
export interface LookalikeMetaStatus {
  deliveryStatus?: { code: number; description?: string };
  operationStatus?: { code: number; description?: string };
  /** approximate_count_lower_bound; -1 while Meta has no count for it. */
  approximateCount?: number;
}

export interface LookalikeRecord extends LookalikeKey {
  workspaceId: string;
  canvasId: string;
  stepId: string;
  name: string;
  status: LookalikeStatus;
  lookalikeId: string | null;
  sourceSize: number | null;
  metaStatus: LookalikeMetaStatus | null;
  message: string | null;
  attempts: number;
  nextCheckAt: Date;
  requestedAt: Date;
  claimedAt: Date | null;
  lookalikeCreatedAt: Date | null;
  updatedAt: Date;
}

export interface LookalikeRequestRow extends LookalikeKey {
  workspaceId: string;
  canvasId: string;
  stepId: string;
  name: string;
}

type Row = {
  meta_account_id: string;
  source_audience_id: string;
  countries: string[];
  ratio_percent: number;
  workspace_id: string;
  canvas_id: string;
  step_id: string;
  name: string;
  status: LookalikeStatus;
  lookalike_id: string | null;
  source_size: string | null;
  meta_status: unknown;
  message: string | null;
  attempts: number;
  next_check_at: Date;
  requested_at: Date;
  claimed_at: Date | null;
  lookalike_created_at: Date | null;
  updated_at: Date;
};

const toRecord = (r: Row): LookalikeRecord => ({
  metaAccountId: r.meta_account_id,
  sourceAudienceId: r.source_audience_id,
  countries: r.countries,
  ratioPercent: r.ratio_percent,
  workspaceId: r.workspace_id,
  canvasId: r.canvas_id,
  stepId: r.step_id,
  name: r.name,
  status: r.status,
  lookalikeId: r.lookalike_id,
  sourceSize: r.source_size === null ? null : Number(r.source_size),
  metaStatus: (r.meta_status as LookalikeMetaStatus | null) ?? null,
  message: r.message,
  attempts: r.attempts,
  nextCheckAt: r.next_check_at,
  requestedAt: r.requested_at,
  claimedAt: r.claimed_at,
  lookalikeCreatedAt: r.lookalike_created_at,
  updatedAt: r.updated_at,
});

/** Records lookalikes launch asks for; one already asked for (by any step or canvas) stays as it is. */
export async function requestLookalikes(
  db: Executor,
  requests: readonly LookalikeRequestRow[],
  now: Date,
): Promise<number> {
  if (requests.length === 0) return 0;
  const result = await db
    .insertInto('lookalike_audiences')
    .values(
      requests.map((r) => ({
        meta_account_id: r.metaAccountId,
        source_audience_id: r.sourceAudienceId,
        countries: [...r.countries],
        ratio_percent: r.ratioPercent,
        workspace_id: r.workspaceId,
        canvas_id: r.canvasId,
        step_id: r.stepId,
        name: r.name,
        status: 'waiting_for_source' as const,
        next_check_at: now,
        requested_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['meta_account_id', 'source_audience_id', 'countries', 'ratio_percent', 'workspace_id']).doNothing(),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** The account's lookalikes due for a look, oldest first. */
export async function dueLookalikes(
  db: Executor,
  metaAccountId: string,
  now: Date,
  limit = 50,
): Promise<LookalikeRecord[]> {
  const rows = await db
    .selectFrom('lookalike_audiences')
    .selectAll()
    .where('meta_account_id', '=', metaAccountId)
    .where('next_check_at', '<=', now)
    .orderBy('next_check_at')
    .limit(limit)
    .execute();
  return rows.map(toRecord);
}

/** The lookalikes of these source audiences on these accounts, for canvases to show. */
export async function lookalikesOf(
  db: Executor,
  sources: readonly { metaAccountId: string; sourceAudienceId: string }[],
): Promise<LookalikeRecord[]> {
  if (sources.length === 0) return [];
  const rows = await db
    .selectFrom('lookalike_audiences')
    .selectAll()
    .where((eb) =>
      eb.or(
        sources.map((s) =>
          eb.and([eb('meta_account_id', '=', s.metaAccountId), eb('source_audience_id', '=', s.sourceAudienceId)]),
        ),
      ),
    )
    .execute();
  return rows.map(toRecord);
}

export interface LookalikeChange {
  status?: LookalikeStatus;
  lookalikeId?: string;
  sourceSize?: number | null;
  metaStatus?: LookalikeMetaStatus | null;
  message?: string | null;
  nextCheckAt: Date;
  /** Counts an attempt and stamps the claim (moving to 'creating'). */
  claim?: boolean;
  lookalikeCreatedAt?: Date;
}

/**
 * Moves a lookalike on, only from one of the statuses the caller saw: the compare-and-set that makes
 * a claim exclusive. Answers whether the row changed.
 */
export async function updateLookalike(
  db: Executor,
  key: LookalikeKey,
  from: readonly LookalikeStatus[],
  change: LookalikeChange,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('lookalike_audiences')
    .set({
      next_check_at: change.nextCheckAt,
      updated_at: now,
      ...(change.status ? { status: change.status } : {}),
      ...(change.lookalikeId !== undefined ? { lookalike_id: change.lookalikeId } : {}),
      ...(change.sourceSize !== undefined ? { source_size: change.sourceSize } : {}),
      ...(change.metaStatus !== undefined
        ? { meta_status: change.metaStatus === null ? null : JSON.stringify(change.metaStatus) }
        : {}),
      ...(change.message !== undefined ? { message: change.message } : {}),
      ...(change.claim ? { claimed_at: now, attempts: sql<number>`attempts + 1` } : {}),
      ...(change.lookalikeCreatedAt ? { lookalike_created_at: change.lookalikeCreatedAt } : {}),
    })
    .where('meta_account_id', '=', key.metaAccountId)
    .where('source_audience_id', '=', key.sourceAudienceId)
    .where('countries', '=', sql<string[]>`${[...key.countries]}::text[]`)
    .where('ratio_percent', '=', key.ratioPercent)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
