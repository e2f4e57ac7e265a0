import { graphVersionDaysLeftMetric, versionLifetime } from '@canvas/meta-graph';
import { Gauge, type Registry } from '@canvas/runtime';

/** Days until Meta expires the Graph API version the API calls, read fresh at every scrape. */
export function registerGraphVersionMetric(registry: Registry, version: string, now: () => Date): void {
  new Gauge({
    name: graphVersionDaysLeftMetric,
    help: 'Days until Meta expires the Marketing API version in use (-1 while Meta has set no date)',
    labelNames: ['version'],
    registers: [registry],
    collect() {
      this.set({ version }, versionLifetime(version, now()).daysLeft ?? -1);
    },
  });
}
