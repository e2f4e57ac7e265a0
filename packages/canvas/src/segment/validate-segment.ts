import { maxSegmentDepth } from '../model/vocabulary.js';
import { conditionProblems } from '../validate/place-problems.js';
import type { Problem } from '../validate/problem.js';
import { schemaProblems } from '../validate/schema-problems.js';
import { SegmentDefinition, type SegmentCondition } from './segment.schema.js';

export { maxSegmentDepth };

export type SegmentValidation = { ok: true; segment: SegmentDefinition } | { ok: false; problems: Problem[] };

function ruleProblems(condition: SegmentCondition, at: string, depth: number): Problem[] {
  if ('all' in condition || 'any' in condition) {
    const [key, list] = 'all' in condition ? (['all', condition.all] as const) : (['any', condition.any] as const);
    if (depth > maxSegmentDepth)
      return [{ code: 'too_deep', path: at, message: `all / any nest at most ${maxSegmentDepth} levels deep` }];
    return list.flatMap((c, i) => ruleProblems(c, `${at}/${key}/${i}`, depth + 1));
  }
  if ('profile' in condition) return conditionProblems(condition.profile, `${at}/profile`);
  if ('behaviour' in condition) {
    const { window } = condition.behaviour;
    if ('from' in window && Date.parse(window.from) > Date.parse(window.to)) {
      return [{ code: 'window_order', path: `${at}/behaviour/window/to`, message: 'to must not be before from' }];
    }
  }
  return [];
}

/** Checks a submitted segment and reports every problem at once, each with its JSON Pointer. */
export function validateSegment(input: unknown): SegmentValidation {
  const parsed = SegmentDefinition.safeParse(input);
  if (!parsed.success) return { ok: false, problems: schemaProblems(parsed.error) };
  const problems = ruleProblems(parsed.data.conditions, '/conditions', 1);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, segment: parsed.data };
}
