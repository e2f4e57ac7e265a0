import type { BehaviourCondition, SegmentCondition } from './segment.schema.js';
import { windowBounds } from './evaluate.js';

/**
 * A necessary condition for membership that the daily rollup can answer: "did event E at least
 * N times on the UTC days [fromDay, toDay]" or "never did E on those days", combined with all /
 * any. Every member meets it; the evaluator then decides exactly, so the filter only narrows
 * whom it has to look at.
 */
export type CandidateFilter =
  | { all: CandidateFilter[] }
  | { any: CandidateFilter[] }
  | { event: string; atLeast: number; fromDay: string | null; toDay: string | null }
  | { never: string; fromDay: string | null; toDay: string | null };

const dayMs = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const startOfDay = (ms: number) => Math.floor(ms / dayMs) * dayMs;

/** "Did not do E in the window" holds only if E is on no day lying wholly inside the window. */
function neverFilter(condition: BehaviourCondition, now: Date): CandidateFilter | null {
  const { op, value } = condition.count ?? { op: 'gte', value: 1 };
  if (condition.did || op !== 'gte' || value !== 1) return null;
  const { from, to } = windowBounds(condition.window, now);
  if (!Number.isFinite(from)) return { never: condition.event, fromDay: null, toDay: null };
  const firstWhole = from === startOfDay(from) ? from : startOfDay(from) + dayMs;
  const lastWhole = startOfDay(to + 1) - dayMs;
  if (lastWhole < firstWhole) return null;
  return { never: condition.event, fromDay: isoDay(firstWhole), toDay: isoDay(lastWhole) };
}

/** Whether the condition holds only for users with at least one counted occurrence. */
function needsOccurrence(condition: BehaviourCondition): boolean {
  const { op, value } = condition.count ?? { op: 'gte', value: 1 };
  if (condition.did) return op !== 'lte' && value >= 1;
  // did not: "not (n ≤ N)" and "not (n = 0)" both need n ≥ 1
  return op === 'lte' || (op === 'eq' && value === 0);
}

/** The filter for a condition at `now`, or null when it cannot narrow (every profile is a candidate). */
export function candidateFilter(condition: SegmentCondition, now: Date): CandidateFilter | null {
  if ('all' in condition) {
    const parts = condition.all.map((c) => candidateFilter(c, now)).filter((f) => f !== null);
    return parts.length === 0 ? null : parts.length === 1 ? parts[0]! : { all: parts };
  }
  if ('any' in condition) {
    const parts = condition.any.map((c) => candidateFilter(c, now));
    if (parts.some((f) => f === null)) return null;
    return parts.length === 1 ? parts[0]! : { any: parts as CandidateFilter[] };
  }
  if (!('behaviour' in condition)) return null;
  if (!needsOccurrence(condition.behaviour)) return neverFilter(condition.behaviour, now);
  const { from, to } = windowBounds(condition.behaviour.window, now);
  const { did, count } = condition.behaviour;
  return {
    event: condition.behaviour.event,
    // "did E ≥ N times" needs N in the window's days; other forms need one
    atLeast: did && count && count.op !== 'lte' ? Math.max(1, count.value) : 1,
    fromDay: Number.isFinite(from) ? isoDay(from) : null,
    toDay: Number.isFinite(to) ? isoDay(to) : null,
  };
}

/** The history the evaluator needs: which events, since when (null: all that is kept). */
export function historyNeeded(condition: SegmentCondition, now: Date): { events: string[]; since: Date | null } {
  const events = new Set<string>();
  let since = Number.POSITIVE_INFINITY;
  const walk = (c: SegmentCondition): void => {
    if ('all' in c) c.all.forEach(walk);
    else if ('any' in c) c.any.forEach(walk);
    else if ('behaviour' in c) {
      events.add(c.behaviour.event);
      since = Math.min(since, windowBounds(c.behaviour.window, now).from);
    }
  };
  walk(condition);
  return { events: [...events], since: Number.isFinite(since) ? new Date(since) : null };
}
