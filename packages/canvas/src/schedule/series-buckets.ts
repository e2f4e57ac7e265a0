import { DateTime } from 'luxon';

export type SeriesInterval = 'hour' | 'day';

/** Enough for a month of hours or a year of days. */
export const maxSeriesBuckets = 800;

/**
 * The starts of the hours or days (midnight in the zone) that overlap [from, to); the first
 * bucket may start before from. Stops after one bucket more than the limit, so callers can refuse.
 */
export function seriesBuckets(from: Date, to: Date, interval: SeriesInterval, timeZone: string): Date[] {
  const buckets: Date[] = [];
  let start = DateTime.fromJSDate(from, { zone: timeZone }).startOf(interval);
  while (start.toMillis() < to.getTime() && buckets.length <= maxSeriesBuckets) {
    buckets.push(start.toJSDate());
    start = start.plus(interval === 'hour' ? { hours: 1 } : { days: 1 });
  }
  return buckets;
}
