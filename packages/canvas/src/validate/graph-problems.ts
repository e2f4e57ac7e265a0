import type { CanvasDefinition } from '../model/canvas.schema.js';
import { identifierKeys } from '../model/match-keys.js';
import { bareAdAccountId } from '../model/ad-account-id.js';
import type { FacebookAudienceStep, Step } from '../model/step.schema.js';
import { assertNever } from '../assert-never.js';
import type { Problem } from './problem.js';

/** Every edge leaving a step, with the pointer of the field that holds it. */
export function stepEdges(step: Step, index: number): { target: string | null; path: string }[] {
  const at = `/steps/${index}`;
  switch (step.kind) {
    case 'delay':
    case 'facebook_audience':
      return [{ target: step.next, path: `${at}/next` }];
    case 'audience_split':
      return [
        ...step.branches.map((b, j) => ({ target: b.next, path: `${at}/branches/${j}/next` })),
        { target: step.else, path: `${at}/else` },
      ];
    case 'random_split':
      return step.paths.map((p, j) => ({ target: p.next, path: `${at}/paths/${j}/next` }));
    case 'exit':
      return [];
    default:
      return assertNever(step);
  }
}

function validTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Problems a schema cannot see: references, reachability, cycles, sums and step rules. */
export function graphProblems(canvas: CanvasDefinition): Problem[] {
  const problems: Problem[] = [];
  const indexById = new Map<string, number>();
  canvas.steps.forEach((step, i) => {
    if (indexById.has(step.id))
      problems.push({ code: 'duplicate_step', path: `/steps/${i}/id`, message: `step id "${step.id}" is used twice` });
    else indexById.set(step.id, i);
  });
  if (!indexById.has(canvas.firstStep)) {
    problems.push({
      code: 'no_entry',
      path: '/firstStep',
      message: `firstStep "${canvas.firstStep}" is not a step of this canvas`,
    });
  }
  canvas.steps.forEach((step, i) => {
    for (const edge of stepEdges(step, i)) {
      if (edge.target !== null && !indexById.has(edge.target)) {
        problems.push({ code: 'unknown_step', path: edge.path, message: `no step "${edge.target}"` });
      }
    }
    if (step.kind === 'random_split') {
      const sum = step.paths.reduce((total, p) => total + p.percent, 0);
      if (sum !== 100)
        problems.push({
          code: 'percentages_sum',
          path: `/steps/${i}/paths`,
          message: `percentages add up to ${sum}, not 100`,
        });
    }
    if (step.kind === 'delay') {
      if ((step.duration === undefined) === (step.until === undefined)) {
        problems.push({
          code: 'delay_spec',
          path: `/steps/${i}`,
          message: 'a delay needs exactly one of "duration" or "until"',
        });
      }
      if (step.until && !validTimezone(step.until.timezone)) {
        problems.push({
          code: 'invalid_timezone',
          path: `/steps/${i}/until/timezone`,
          message: `"${step.until.timezone}" is not an IANA time zone`,
        });
      }
    }
    if (step.kind === 'facebook_audience') {
      if (!step.matchKeys.some((key) => identifierKeys.includes(key))) {
        problems.push({
          code: 'no_identifier_key',
          path: `/steps/${i}/matchKeys`,
          message: 'choose at least one of EMAIL, PHONE, MADID or EXTERN_ID',
        });
      }
      step.matchKeys.forEach((key, j) => {
        if (step.matchKeys.indexOf(key) !== j)
          problems.push({
            code: 'duplicate_match_key',
            path: `/steps/${i}/matchKeys/${j}`,
            message: `${key} is listed twice`,
          });
      });
      problems.push(...audienceReferenceProblems(canvas, step, i, indexById), ...adSetProblems(step, i));
    }
  });

  // reachability and cycles by depth-first search from the first step
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string) => {
    const index = indexById.get(id);
    if (index === undefined || state.get(id) === 'done') return;
    state.set(id, 'open');
    const step = canvas.steps[index];
    for (const edge of step ? stepEdges(step, index) : []) {
      if (edge.target === null || !indexById.has(edge.target)) continue;
      if (state.get(edge.target) === 'open') {
        problems.push({
          code: 'cycle',
          path: edge.path,
          message: `"${id}" leads back to "${edge.target}"; journeys may not loop`,
        });
      } else {
        visit(edge.target);
      }
    }
    state.set(id, 'done');
  };
  visit(canvas.firstStep);
  canvas.steps.forEach((step, i) => {
    if (!state.has(step.id) && indexById.get(step.id) === i && indexById.has(canvas.firstStep)) {
      problems.push({
        code: 'unreachable_step',
        path: `/steps/${i}`,
        message: `no path from "${canvas.firstStep}" reaches "${step.id}"`,
      });
    }
  });

  const { startAt, endAt } = canvas.entry.schedule ?? {};
  if (startAt && endAt && Date.parse(endAt) <= Date.parse(startAt)) {
    problems.push({ code: 'schedule_order', path: '/entry/schedule/endAt', message: 'endAt must be after startAt' });
  }
  return problems;
}

const accountOf = (step: FacebookAudienceStep) =>
  step.adAccountId === undefined ? undefined : bareAdAccountId(step.adAccountId);

/** A step using another step's audience must name a Facebook step that creates or names one, on the same account. */
function audienceReferenceProblems(
  canvas: CanvasDefinition,
  step: FacebookAudienceStep,
  index: number,
  indexById: Map<string, number>,
): Problem[] {
  if (!('fromStep' in step.audience)) return [];
  const path = `/steps/${index}/audience/fromStep`;
  const targetIndex = indexById.get(step.audience.fromStep);
  const target = targetIndex === undefined ? undefined : canvas.steps[targetIndex];
  if (!target) return [{ code: 'unknown_step', path, message: `no step "${step.audience.fromStep}"` }];
  if (target.kind !== 'facebook_audience' || target.id === step.id)
    return [{ code: 'audience_step_kind', path, message: `"${target.id}" is not another Facebook Audience step` }];
  if ('fromStep' in target.audience)
    return [
      {
        code: 'audience_step_chain',
        path,
        message: `"${target.id}" uses another step's audience itself; name the step that creates or names it`,
      },
    ];
  if (accountOf(target) !== accountOf(step))
    return [
      {
        code: 'audience_account_mismatch',
        path: `/steps/${index}/adAccountId`,
        message: `"${target.id}" syncs through ${target.adAccountId ?? 'the default ad account'}; use the same account`,
      },
    ];
  return [];
}

function adSetProblems(step: FacebookAudienceStep, index: number): Problem[] {
  const adSets = step.adSetIds ?? [];
  if (adSets.length > 0 && step.action === 'remove')
    return [
      {
        code: 'ad_sets_on_remove',
        path: `/steps/${index}/adSetIds`,
        message: 'ad sets are linked to audiences that a step adds users to',
      },
    ];
  return adSets.flatMap((id, j) =>
    adSets.indexOf(id) === j
      ? []
      : [{ code: 'duplicate_ad_set', path: `/steps/${index}/adSetIds/${j}`, message: `ad set ${id} is listed twice` }],
  );
}
