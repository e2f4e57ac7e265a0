import type { BehaviourCondition, SegmentCondition } from './segment.schema.js';
import { windowBounds } from './evaluate.js';

/** A behaviour condition the daily rollup counts exactly: its event in [from, to] (ms, inclusive; null: open). */
export interface CountedBehaviour {
  condition: BehaviourCondition;
  event: string;
  from: number | null;
  to: number | null;
}

/**
 * The behaviour conditions of a segment, when the daily rollup can count each one exactly (it
 * keeps no event properties, so none may filter on them); null otherwise, or when there is no
 * behaviour condition (nothing to count). The evaluator then
 * reads these counts instead of the history (`SegmentMember.counts`).
 */
export function rollupCountable(condition: SegmentCondition, now: Date): CountedBehaviour[] | null {
  const counted: CountedBehaviour[] = [];
  let countable = true;
  const walk = (c: SegmentCondition): void => {
    if ('all' in c) c.all.forEach(walk);
    else if ('any' in c) c.any.forEach(walk);
    else if ('behaviour' in c) {
      if (c.behaviour.where.length > 0) countable = false;
      const { from, to } = windowBounds(c.behaviour.window, now);
      counted.push({
        condition: c.behaviour,
        event: c.behaviour.event,
        from: Number.isFinite(from) ? from : null,
        to: Number.isFinite(to) ? to : null,
      });
    }
  };
  walk(condition);
  return countable && counted.length > 0 ? counted : null;
}
