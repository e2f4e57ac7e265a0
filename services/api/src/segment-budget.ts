import type { SegmentCondition } from '@canvas/canvas';
import type { FieldProblem } from './problem.js';

/** What one segment may ask of an evaluation: every candidate is tested against all of it. */
export interface SegmentBudget {
  /** Profile, behaviour and reachability tests, and the property tests inside behaviours. */
  conditions: number;
  /** Values listed in every `in` / `not_in` (any array value) together. */
  values: number;
}

export const defaultSegmentBudget: SegmentBudget = { conditions: 100, values: 2000 };

const listed = (value: unknown) => (Array.isArray(value) ? value.length : 0);

/**
 * The first place a segment goes over its budget, as a field problem (`too_many_conditions`,
 * `too_many_values`) pointing at it; undefined within budget. Walks iteratively, in document order.
 */
export function segmentOverBudget(
  conditions: SegmentCondition,
  budget: SegmentBudget,
  at: string,
): FieldProblem | undefined {
  let tests = 0;
  let values = 0;
  const stack: { condition: SegmentCondition; at: string }[] = [{ condition: conditions, at }];
  const count = (path: string, tested: number, valued: number): FieldProblem | undefined => {
    tests += tested;
    values += valued;
    if (tests > budget.conditions)
      return {
        code: 'too_many_conditions',
        path,
        message: `a segment holds at most ${budget.conditions} conditions (property tests in behaviours included)`,
      };
    if (values > budget.values)
      return { code: 'too_many_values', path, message: `a segment lists at most ${budget.values} values in all` };
    return undefined;
  };
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { condition } = item;
    if ('all' in condition || 'any' in condition) {
      const [key, list] = 'all' in condition ? (['all', condition.all] as const) : (['any', condition.any] as const);
      for (let i = list.length - 1; i >= 0; i -= 1) stack.push({ condition: list[i]!, at: `${item.at}/${key}/${i}` });
      continue;
    }
    let problem: FieldProblem | undefined;
    if ('profile' in condition) problem = count(`${item.at}/profile`, 1, listed(condition.profile.value));
    else if ('behaviour' in condition) {
      problem = count(`${item.at}/behaviour`, 1, 0);
      condition.behaviour.where.forEach((w, i) => {
        problem ??= count(`${item.at}/behaviour/where/${i}`, 1, listed(w.value));
      });
    } else problem = count(`${item.at}/reachability`, 1, 0);
    if (problem) return problem;
  }
  return undefined;
}
