import { sql } from 'kysely';
import type { SeriesInterval, StepMetric } from '@canvas/canvas';
import type { Executor } from './connection.js';

/** One step metric's change within one bucket of a series. */
export interface SeriesPoint {
  bucket: Date;
  stepId: string;
  metric: StepMetric;
  value: number;
}

/**
 * A canvas's counter changes per hour or per day (days start at midnight in the given zone),
 * summed over writer shards, for buckets in [from, to).
 */
export async function readCounterSeries(
  db: Executor,
  workspaceId: string,
  canvasId: string,
  options: {
    from: Date;
    to: Date;
    interval: SeriesInterval;
    timeZone: string;
    metrics: readonly StepMetric[];
    version?: number | undefined;
  },
): Promise<SeriesPoint[]> {
  const zone = options.timeZone;
  const start = sql<Date>`date_trunc(${options.interval}, bucket at time zone ${zone}) at time zone ${zone}`;
  let query = db
    .selectFrom('step_counters')
    .select([start.as('start'), 'step_id', 'metric', sql<string>`sum(value)`.as('total')])
    .where('workspace_id', '=', workspaceId)
    .where('canvas_id', '=', canvasId)
    .where('bucket', '>=', options.from)
    .where('bucket', '<', options.to)
    .where('metric', 'in', [...options.metrics]);
  if (options.version !== undefined) query = query.where('version', '=', options.version);
  const rows = await query
    .groupBy([sql`1`, 'step_id', 'metric'])
    .orderBy(sql`1`)
    .execute();
  return rows.map((r) => ({
    bucket: new Date(r.start),
    stepId: r.step_id,
    metric: r.metric,
    value: Number(r.total),
  }));
}
