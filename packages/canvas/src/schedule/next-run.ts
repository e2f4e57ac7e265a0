import { DateTime } from 'luxon';
import type { SegmentRuns } from './segment-runs.schema.js';
import { weekdays } from './segment-runs.schema.js';

type Recurring = Extract<SegmentRuns, { kind: 'recurring' }>;

/** The recurring run on a local calendar day, or null when the rule skips that day. */
function runOnDay(rule: Recurring, day: DateTime): DateTime | null {
  const [hour, minute] = rule.time.split(':').map(Number) as [number, number];
  if (rule.every === 'week' && !(rule.daysOfWeek ?? []).includes(weekdays[day.weekday - 1]!)) return null;
  if (rule.every === 'month') {
    const wanted = Math.min(rule.dayOfMonth ?? 1, day.daysInMonth ?? 31);
    if (day.day !== wanted) return null;
  }
  // luxon moves a local time that a DST gap skips forward, as calendars do
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

function nextRecurring(rule: Recurring, after: Date): Date | null {
  const end = rule.endAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(rule.endAt);
  let day = DateTime.fromJSDate(after, { zone: rule.timeZone }).startOf('day');
  // at most a month and a day of local days to look through
  for (let i = 0; i < 63; i += 1, day = day.plus({ days: 1 })) {
    const run = runOnDay(rule, day);
    if (run === null || run.toMillis() <= after.getTime()) continue;
    return run.toMillis() >= end ? null : run.toJSDate();
  }
  return null;
}

/**
 * The first run strictly after `after`, for a canvas launched at `launchedAt`; null when no
 * run is left. A one-time run set before launch runs at launch; dates before launch are skipped.
 */
export function nextRunAfter(runs: SegmentRuns, after: Date, launchedAt: Date): Date | null {
  const floor = Math.max(after.getTime(), launchedAt.getTime() - 1);
  switch (runs.kind) {
    case 'once': {
      const at = Math.max(runs.at === undefined ? launchedAt.getTime() : Date.parse(runs.at), launchedAt.getTime());
      return at > after.getTime() ? new Date(at) : null;
    }
    case 'dates': {
      const next = runs.at
        .map((d) => Date.parse(d))
        .filter((t) => t > floor)
        .sort((a, b) => a - b)[0];
      return next === undefined ? null : new Date(next);
    }
    case 'recurring':
      return nextRecurring(runs, new Date(floor));
  }
}

/** The latest run due at `now` after `after` (older missed runs fold into it), or null when none is due. */
export function dueRun(runs: SegmentRuns, after: Date, launchedAt: Date, now: Date): Date | null {
  let due: Date | null = null;
  for (
    let next = nextRunAfter(runs, after, launchedAt);
    next && next <= now;
    next = nextRunAfter(runs, next, launchedAt)
  )
    due = next;
  return due;
}
