import type { BehaviourCondition, SegmentCondition } from './segment.schema.js';
import { windowBounds } from './evaluate.js';

/**
 * A necessary condition for membership that the daily rollup can answer: "did event E on some
 * UTC day in [fromDay, toDay]", combined with all / any. Every member meets it; the evaluator
 * then decides exactly, so the filter only narrows whom it has to look at.
 */
export type CandidateFilter =
  | { all: CandidateFilter[] }
  | { any: CandidateFilter[] }
  | { event: string; fromDay: string | null; toDay: string | null };

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

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
  if (!('behaviour' in condition) || !needsOccurrence(condition.behaviour)) return null;
  const { from, to } = windowBounds(condition.behaviour.window, now);
  return {
    event: condition.behaviour.event,
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
