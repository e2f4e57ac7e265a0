import { nextRunAfter } from '../schedule/next-run.js';
import type { SegmentRuns } from '../schedule/segment-runs.schema.js';

/** More runs than a 31-day window of daily runs could ever hold, so a bad rule cannot loop for long. */
const maxRuns = 10_000;

/**
 * The runs of a segment-entry canvas launched when the window opens that fall inside [from, to):
 * a one-time run without a date runs at once, dates before the window are skipped.
 */
export function segmentRunsIn(runs: SegmentRuns, from: Date, to: Date): Date[] {
  const found: Date[] = [];
  for (
    let next = nextRunAfter(runs, new Date(from.getTime() - 1), from);
    next !== null && next.getTime() < to.getTime() && found.length < maxRuns;
    next = nextRunAfter(runs, next, from)
  )
    found.push(next);
  return found;
}
