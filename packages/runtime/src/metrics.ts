import { Registry, collectDefaultMetrics, Counter, Gauge, Histogram } from 'prom-client';

export { Registry, Counter, Gauge, Histogram } from 'prom-client';

/** A fresh registry with process metrics, labelled with the service name. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

export type MetricFactory = {
  counter: <L extends string>(name: string, help: string, labelNames?: readonly L[]) => Counter<L>;
  gauge: <L extends string>(name: string, help: string, labelNames?: readonly L[]) => Gauge<L>;
  histogram: <L extends string>(
    name: string,
    help: string,
    buckets: number[],
    labelNames?: readonly L[],
  ) => Histogram<L>;
};

/** Shorthand constructors bound to one registry. */
export function metricFactory(registry: Registry): MetricFactory {
  return {
    counter: (name, help, labelNames = []) => new Counter({ name, help, labelNames, registers: [registry] }),
    gauge: (name, help, labelNames = []) => new Gauge({ name, help, labelNames, registers: [registry] }),
    histogram: (name, help, buckets, labelNames = []) =>
      new Histogram({ name, help, buckets, labelNames, registers: [registry] }),
  };
}

/** Creates the series of every known label value at 0, so dashboards and rate() alerts work from the start. */
export function zeroSeries<L extends string>(
  counter: Counter<L>,
  label: NoInfer<L>,
  values: readonly string[],
  fixed: Partial<Record<NoInfer<L>, string>> = {},
): void {
  for (const value of values) counter.inc({ ...fixed, [label]: value } as Partial<Record<L, string | number>>, 0);
}

/** A gauge whose one series is read fresh at every scrape, e.g. days left on a dated setting. */
export function registerReadGauge(
  registry: Registry,
  metric: { name: string; help: string; labels: Record<string, string> },
  read: () => number,
): void {
  new Gauge({
    name: metric.name,
    help: metric.help,
    labelNames: Object.keys(metric.labels),
    registers: [registry],
    collect() {
      this.set(metric.labels, read());
    },
  });
}
