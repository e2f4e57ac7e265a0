import { liveCanvasIds, readAllCounters, type Db } from '@canvas/db';
import { Gauge, type Registry } from '@canvas/runtime';

type CounterValues = Awaited<ReturnType<typeof readAllCounters>>;

/**
 * The canvas counters as the `canvas_step_users` gauge, read at most once per `maxAgeMs`
 * whatever the number of scrapers (each read sums every live canvas's counters).
 */
export function registerCanvasGauge(registry: Registry, db: Db, options: { maxAgeMs: number; now: () => Date }): void {
  let cached: { at: number; values: Promise<CounterValues> } | undefined;
  const read = (): Promise<CounterValues> => {
    const at = options.now().getTime();
    if (cached && at - cached.at < options.maxAgeMs) return cached.values;
    const values = liveCanvasIds(db).then((ids) => readAllCounters(db, ids));
    // a failed read is not kept: the next scrape tries again
    values.catch(() => (cached = undefined));
    cached = { at, values };
    return values;
  };
  new Gauge({
    name: 'canvas_step_users',
    help: 'Users per canvas, version, step and metric (running and paused canvases)',
    labelNames: ['canvas_id', 'version', 'step_id', 'metric'],
    registers: [registry],
    async collect() {
      const values = await read();
      this.reset();
      for (const v of values)
        this.set({ canvas_id: v.canvasId, version: String(v.version), step_id: v.stepId, metric: v.metric }, v.value);
    },
  });
}
