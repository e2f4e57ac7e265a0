import { sql } from 'kysely';
import {
  audienceStatuses,
  removalMetrics,
  statusMetric,
  type CanvasStatus,
  type DriftKind,
  type StepMetric,
} from '@canvas/canvas';
import type { Executor } from './connection.js';

/** The counters the watch compares: `entered` against the statuses, `removed` against theirs. */
export const watchedMetrics: readonly StepMetric[] = [
  'entered',
  ...audienceStatuses.map((s) => statusMetric(s, 'step')),
  ...removalMetrics,
];

/** A launched Facebook step version on a Meta ad account, with its counter totals. */
export interface StepVersionTotals {
  canvasId: string;
  workspaceId: string;
  canvasStatus: CanvasStatus;
  version: number;
  stepId: string;
  audienceId: string;
  adAccountId: string;
  /** The launch (or the draft's "create audience") made the audience: nothing else was in it. */
  created: boolean;
  totals: Partial<Record<StepMetric, number>>;
}

/**
 * Every launched version's Facebook steps that send to one Meta ad account, with the sums of the
 * counters the watch compares, across all writer shards and hours: one statement, one indexed
 * scan of the counters per step version, in one snapshot (so an invariant that holds in every
 * transaction holds in the answer).
 */
export async function stepTotalsOnAccount(db: Executor, metaAccountId: string): Promise<StepVersionTotals[]> {
  const rows = await sql<{
    canvas_id: string;
    workspace_id: string;
    canvas_status: CanvasStatus;
    version: number;
    step_id: string;
    audience_id: string;
    ad_account_id: string;
    created: boolean;
    metric: StepMetric | null;
    total: string | null;
  }>`
    WITH targets AS (
      SELECT v.canvas_id, c.workspace_id, c.status AS canvas_status, v.version, r.key AS step_id, r.value AS target
      FROM canvas_versions v
      JOIN canvases c ON c.workspace_id = v.workspace_id AND c.id = v.canvas_id
      CROSS JOIN LATERAL jsonb_each(v.resolved) r
      WHERE v.launched_at IS NOT NULL AND r.value->>'metaAccountId' = ${metaAccountId}
    )
    SELECT t.canvas_id, t.workspace_id, t.canvas_status, t.version, t.step_id,
      t.target->>'audienceId' AS audience_id, t.target->>'adAccountId' AS ad_account_id,
      coalesce((t.target->>'created')::boolean, false) AS created, s.metric, s.total
    FROM targets t
    LEFT JOIN LATERAL (
      SELECT sc.metric, sum(sc.value) AS total FROM step_counters sc
      WHERE sc.workspace_id = t.workspace_id AND sc.canvas_id = t.canvas_id AND sc.version = t.version
        AND sc.step_id = t.step_id
        AND sc.metric = ANY(${[...watchedMetrics]}::text[])
      GROUP BY sc.metric
    ) s ON true
    ORDER BY t.canvas_id, t.step_id, t.version`.execute(db);
  const byKey = new Map<string, StepVersionTotals>();
  for (const r of rows.rows) {
    const key = JSON.stringify([r.canvas_id, r.version, r.step_id]);
    let step = byKey.get(key);
    if (!step) {
      step = {
        canvasId: r.canvas_id,
        workspaceId: r.workspace_id,
        canvasStatus: r.canvas_status,
        version: r.version,
        stepId: r.step_id,
        audienceId: r.audience_id,
        adAccountId: r.ad_account_id,
        created: r.created,
        totals: {},
      };
      byKey.set(key, step);
    }
    if (r.metric !== null) step.totals[r.metric] = Number(r.total ?? 0);
  }
  return [...byKey.values()];
}

/** A step whose numbers do not add up. */
export interface StepDrift {
  canvasId: string;
  stepId: string;
  kind: DriftKind;
  workspaceId: string;
  metaAccountId: string;
  expected: number;
  actual: number;
  /** Users out of balance (> 0). */
  gap: number;
  detail: Record<string, unknown>;
  /** When the watch first found this drift, unbroken since. */
  since: Date;
  checkedAt: Date;
}

/**
 * Stores what one check of a Meta ad account found for the given kinds: these drifts, and no
 * other drift of those kinds on the account. A drift found before keeps its `since`.
 */
export async function saveStepDrift(
  db: Executor,
  metaAccountId: string,
  kinds: readonly DriftKind[],
  drifts: readonly Omit<StepDrift, 'since' | 'checkedAt'>[],
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await sql`DELETE FROM step_drift d
      WHERE d.meta_account_id = ${metaAccountId} AND d.kind = ANY(${[...kinds]}::text[])
        AND NOT EXISTS (
          SELECT 1 FROM unnest(${drifts.map((x) => x.canvasId)}::uuid[], ${drifts.map((x) => x.stepId)}::text[],
            ${drifts.map((x) => x.kind)}::text[]) AS k(canvas_id, step_id, kind)
          WHERE k.canvas_id = d.canvas_id AND k.step_id = d.step_id AND k.kind = d.kind)`.execute(tx);
    if (drifts.length === 0) return;
    await tx
      .insertInto('step_drift')
      .values(
        drifts.map((d) => ({
          canvas_id: d.canvasId,
          step_id: d.stepId,
          kind: d.kind,
          workspace_id: d.workspaceId,
          meta_account_id: d.metaAccountId,
          expected: d.expected,
          actual: d.actual,
          gap: d.gap,
          detail: JSON.stringify(d.detail),
          since: now,
          checked_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['canvas_id', 'step_id', 'kind', 'workspace_id']).doUpdateSet((eb) => ({
          meta_account_id: eb.ref('excluded.meta_account_id'),
          expected: eb.ref('excluded.expected'),
          actual: eb.ref('excluded.actual'),
          gap: eb.ref('excluded.gap'),
          detail: eb.ref('excluded.detail'),
          checked_at: eb.ref('excluded.checked_at'),
        })),
      )
      .execute();
  });
}

/** The drifts the watch last found on a Meta ad account's steps. */
export async function driftOnAccount(db: Executor, metaAccountId: string): Promise<StepDrift[]> {
  const rows = await db.selectFrom('step_drift').selectAll().where('meta_account_id', '=', metaAccountId).execute();
  return rows.map(toStepDrift);
}

/** The drifts the watch last found on a canvas's steps. */
export async function driftOfCanvas(db: Executor, canvasId: string): Promise<StepDrift[]> {
  const rows = await db
    .selectFrom('step_drift')
    .selectAll()
    .where('canvas_id', '=', canvasId)
    .orderBy('step_id')
    .orderBy('kind')
    .execute();
  return rows.map(toStepDrift);
}

const toStepDrift = (r: {
  canvas_id: string;
  step_id: string;
  kind: DriftKind;
  workspace_id: string;
  meta_account_id: string;
  expected: string;
  actual: string;
  gap: string;
  detail: Record<string, unknown>;
  since: Date;
  checked_at: Date;
}): StepDrift => ({
  canvasId: r.canvas_id,
  stepId: r.step_id,
  kind: r.kind,
  workspaceId: r.workspace_id,
  metaAccountId: r.meta_account_id,
  expected: Number(r.expected),
  actual: Number(r.actual),
  gap: Number(r.gap),
  detail: r.detail,
  since: r.since,
  checkedAt: r.checked_at,
});

/** Notes that the watch checked the steps of a Meta ad account. */
export async function recordReconciliationCheck(
  db: Executor,
  metaAccountId: string,
  steps: number,
  now: Date,
): Promise<void> {
  await db
    .insertInto('reconciliation_checks')
    .values({ meta_account_id: metaAccountId, checked_at: now, steps })
    .onConflict((oc) => oc.column('meta_account_id').doUpdateSet({ checked_at: now, steps }))
    .execute();
}

/** When the watch last checked each of these Meta ad accounts. */
export async function reconciliationChecks(
  db: Executor,
  metaAccountIds: readonly string[],
): Promise<Map<string, Date>> {
  if (metaAccountIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('reconciliation_checks')
    .select(['meta_account_id', 'checked_at'])
    .where('meta_account_id', 'in', [...new Set(metaAccountIds)])
    .execute();
  return new Map(rows.map((r) => [r.meta_account_id, r.checked_at]));
}

/** Members an audience may have by the counters: at most (every add Meta may have applied) and at least. */
export interface ExpectedMembers {
  most: number;
  least: number;
}

/** What Meta last reported of an audience's size, and what the counters allowed then and at the read before. */
export interface AudienceSizeCheck {
  audienceId: string;
  metaAccountId: string;
  checkedAt: Date;
  /** Meta's approximate_count_lower_bound / _upper_bound; null when it gave none (or -1). */
  lowerBound: number | null;
  upperBound: number | null;
  expected: ExpectedMembers;
  /** At the read before; null at the first read. */
  previous: ExpectedMembers | null;
}

export async function audienceSizeChecks(
  db: Executor,
  audienceIds: readonly string[],
): Promise<Map<string, AudienceSizeCheck>> {
  if (audienceIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('audience_size_checks')
    .selectAll()
    .where('audience_id', 'in', [...new Set(audienceIds)])
    .execute();
  const number = (value: string | null) => (value === null ? null : Number(value));
  return new Map(
    rows.map((r) => [
      r.audience_id,
      {
        audienceId: r.audience_id,
        metaAccountId: r.meta_account_id,
        checkedAt: r.checked_at,
        lowerBound: number(r.lower_bound),
        upperBound: number(r.upper_bound),
        expected: { most: Number(r.most), least: Number(r.least) },
        previous:
          r.previous_most === null || r.previous_least === null
            ? null
            : { most: Number(r.previous_most), least: Number(r.previous_least) },
      },
    ]),
  );
}

export async function recordAudienceSizeCheck(db: Executor, check: AudienceSizeCheck): Promise<void> {
  const values = {
    meta_account_id: check.metaAccountId,
    checked_at: check.checkedAt,
    lower_bound: check.lowerBound,
    upper_bound: check.upperBound,
    most: check.expected.most,
    least: check.expected.least,
    previous_most: check.previous?.most ?? null,
    previous_least: check.previous?.least ?? null,
  };
  await db
    .insertInto('audience_size_checks')
    .values({ audience_id: check.audienceId, ...values })
    .onConflict((oc) => oc.column('audience_id').doUpdateSet(values))
    .execute();
}
