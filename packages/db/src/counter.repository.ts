import { sql } from 'kysely';
import { compositeKey, type StepMetric } from '@canvas/canvas';
import type { Executor } from './connection.js';

/** One change to a counter, before it is summed into its row. */
export interface CounterDelta {
  workspaceId: string;
  canvasId: string;
  version: number;
  stepId: string;
  metric: StepMetric;
  delta: number;
}

export interface CounterValue {
  version: number;
  stepId: string;
  metric: StepMetric;
  value: number;
}

const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);

/**
 * Adds deltas to the hour's row of one writer shard. Rows are written in key order so two
 * transactions never wait on each other in opposite orders.
 */
export async function addCounters(
  db: Executor,
  deltas: readonly CounterDelta[],
  at: Date,
  shard: number,
): Promise<void> {
  const merged = new Map<string, CounterDelta>();
  for (const d of deltas) {
    const key = compositeKey(d.workspaceId, d.canvasId, d.version, d.stepId, d.metric);
    const existing = merged.get(key);
    if (existing) existing.delta += d.delta;
    else merged.set(key, { ...d });
  }
  const rows = [...merged.entries()]
    .filter(([, d]) => d.delta !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, d]) => d);
  if (rows.length === 0) return;
  await sql`
    INSERT INTO step_counters AS sc (workspace_id, canvas_id, version, step_id, metric, bucket, shard, value)
    SELECT k.w, k.c, k.v, k.s, k.m, ${hourOf(at).toISOString()}::timestamptz, ${shard}::int, k.d FROM unnest(
      ${rows.map((d) => d.workspaceId)}::uuid[], ${rows.map((d) => d.canvasId)}::uuid[],
      ${rows.map((d) => d.version)}::int[], ${rows.map((d) => d.stepId)}::text[],
      ${rows.map((d) => d.metric)}::text[], ${rows.map((d) => d.delta)}::bigint[]) AS k(w, c, v, s, m, d)
    ON CONFLICT (canvas_id, version, step_id, metric, bucket, shard, workspace_id)
    DO UPDATE SET value = sc.value + excluded.value`.execute(db);
}

/**
 * Counter totals of a canvas, per version and step. With a time range, changes inside it;
 * "pending" is a level, not a flow, so it is always the current total.
 */
export async function readCounters(
  db: Executor,
  workspaceId: string,
  canvasId: string,
  options: { version?: number | undefined; from?: Date | undefined; to?: Date | undefined } = {},
): Promise<CounterValue[]> {
  let query = db
    .selectFrom('step_counters')
    .select(['version', 'step_id', 'metric', sql<string>`sum(value)`.as('total')])
    .where('workspace_id', '=', workspaceId)
    .where('canvas_id', '=', canvasId);
  if (options.version !== undefined) query = query.where('version', '=', options.version);
  if (options.from || options.to) {
    const from = options.from ? hourOf(options.from) : undefined;
    const to = options.to;
    query = query.where((eb) =>
      eb.or([
        eb('metric', '=', 'pending'),
        eb.and([...(from ? [eb('bucket', '>=', from)] : []), ...(to ? [eb('bucket', '<', to)] : [])]),
      ]),
    );
  }
  const rows = await query.groupBy(['version', 'step_id', 'metric']).execute();
  return rows.map((r) => ({ version: r.version, stepId: r.step_id, metric: r.metric, value: Number(r.total) }));
}

/** Totals for many canvases at once, for the metrics endpoint. */
export async function readAllCounters(
  db: Executor,
  canvasIds: readonly string[],
): Promise<(CounterValue & { canvasId: string })[]> {
  if (canvasIds.length === 0) return [];
  const rows = await db
    .selectFrom('step_counters')
    .select(['canvas_id', 'version', 'step_id', 'metric', sql<string>`sum(value)`.as('total')])
    .where('canvas_id', 'in', [...canvasIds])
    .groupBy(['canvas_id', 'version', 'step_id', 'metric'])
    .execute();
  return rows.map((r) => ({
    canvasId: r.canvas_id,
    version: r.version,
    stepId: r.step_id,
    metric: r.metric,
    value: Number(r.total),
  }));
}
