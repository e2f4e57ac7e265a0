import type { CanvasDefinition } from '../model/canvas.schema.js';
import { lookalikeCountry, ratioPercent } from '../model/lookalike.js';
import type { FacebookAudienceStep } from '../model/step.schema.js';
import type { Problem } from './problem.js';

/** A value-based audience is created by a step that adds its users with their values. */
function valueProblems(step: FacebookAudienceStep, at: string): Problem[] {
  if (!('create' in step.audience) || step.audience.create.valueTrait === undefined || step.action === 'add') return [];
  return [
    {
      code: 'value_based',
      path: `${at}/audience/create/valueTrait`,
      message: 'a value-based audience is created by a step that adds users with their values (action "add")',
    },
  ];
}

/** A lookalike is asked of an audience a step adds to, with Meta's sizes and ISO country codes. */
function lookalikeProblems(step: FacebookAudienceStep, at: string): Problem[] {
  const { lookalike } = step;
  if (!lookalike) return [];
  const problems: Problem[] = [];
  if (step.action !== 'add')
    problems.push({
      code: 'lookalike',
      path: `${at}/lookalike`,
      message: 'a lookalike is made from an audience a step adds users to (action "add")',
    });
  if (ratioPercent(lookalike.ratio) === null)
    problems.push({
      code: 'lookalike',
      path: `${at}/lookalike/ratio`,
      message: `${lookalike.ratio} is not one of Meta's sizes: 0.01 to 0.20 in steps of 0.01`,
    });
  const seen = new Set<string>();
  lookalike.countries.forEach((code, j) => {
    const country = lookalikeCountry(code);
    const path = `${at}/lookalike/countries/${j}`;
    if (country === null)
      problems.push({ code: 'lookalike', path, message: `"${code}" is not an ISO 3166-1 alpha-2 country code` });
    else if (seen.has(country)) problems.push({ code: 'lookalike', path, message: `${country} is listed twice` });
    else seen.add(country);
  });
  return problems;
}

/** Value-based audiences and lookalikes: the rules a schema cannot express (decisions 35 and 36). */
export function valueAndLookalikeProblems(canvas: CanvasDefinition): Problem[] {
  return canvas.steps.flatMap((step, index) =>
    step.kind === 'facebook_audience'
      ? [...valueProblems(step, `/steps/${index}`), ...lookalikeProblems(step, `/steps/${index}`)]
      : [],
  );
}
