import type { CanvasDefinition } from '../model/canvas.schema.js';
import type { UserCondition } from '../model/condition.schema.js';
import { isGeographyField, normalizePlace } from '../model/geography.js';
import type { Problem } from './problem.js';

const hints = {
  country: '%s is not a country: use an ISO 3166 code (US, USA) or an English name (United States)',
  region: '%s cannot be read as a region or state: use letters or digits (California, CA, Bavaria)',
  city: '%s cannot be read as a city: use its name',
} as const;

const comparesValues = new Set(['eq', 'neq', 'in', 'not_in']);

/** Problems of one user condition: a geography value that names no place. */
export function conditionProblems(condition: UserCondition, at: string): Problem[] {
  const { field, op, value } = condition;
  if (!isGeographyField(field) || !comparesValues.has(op)) return [];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.flatMap((v, i) =>
    typeof v === 'string' && normalizePlace(field, v) !== null
      ? []
      : [
          {
            code: 'unknown_place' as const,
            path: Array.isArray(value) ? `${at}/value/${i}` : `${at}/value`,
            message: hints[field].replace('%s', JSON.stringify(v)),
          },
        ],
  );
}

/** Country, region and city filters whose values name no place the match keys could hold. */
export function placeProblems(canvas: CanvasDefinition): Problem[] {
  const problems = canvas.entry.filters.flatMap((c, i) => conditionProblems(c, `/entry/filters/${i}`));
  canvas.steps.forEach((step, s) => {
    if (step.kind !== 'audience_split') return;
    step.branches.forEach((branch, b) => {
      branch.conditions.forEach((c, i) =>
        problems.push(...conditionProblems(c, `/steps/${s}/branches/${b}/conditions/${i}`)),
      );
    });
  });
  return problems;
}
