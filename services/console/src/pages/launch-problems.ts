import { ApiError, describeError } from '../api.js';
import { consoleHint } from './hint-words.js';

/**
 * A refused launch in a designer's words: each problem once, with the names of the steps it is
 * on instead of JSON pointers (/steps/3).
 */
export function launchProblems(error: unknown, steps: { id: string; name?: string | null }[]): string[] {
  if (!(error instanceof ApiError) || !error.problem.errors?.length) return describeError(error);
  const problems = new Map<string, { code: string; steps: Set<string>; paths: Set<string> }>();
  for (const e of error.problem.errors) {
    const problem = problems.get(e.message) ?? { code: e.code, steps: new Set(), paths: new Set() };
    const index = /^\/steps\/(\d+)/.exec(e.path)?.[1];
    const step = index === undefined ? undefined : steps[Number(index)];
    if (step) problem.steps.add(step.name ?? step.id);
    else if (e.path) problem.paths.add(e.path);
    problems.set(e.message, problem);
  }
  // the API counts a problem per step; the page shows one per problem, so it counts those
  const count = problems.size === 1 ? 'a problem' : `${problems.size} problems`;
  return [
    `Not launched: the checks before launch found ${count}.`,
    ...[...problems].map(([message, p]) => {
      const names = [...p.steps];
      const where = [
        ...(names.length ? [`${names.length === 1 ? 'step' : 'steps'} ${names.join(', ')}`] : []),
        ...p.paths,
      ];
      const hint = consoleHint(p.code);
      return `${message.replace(/\.$/, '')}${where.length ? ` (${where.join('; ')})` : ''}.${hint ? ` ${hint}` : ''}`;
    }),
  ];
}
