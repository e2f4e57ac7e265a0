import { ApiError, describeError } from '../api.js';

/**
 * A refused launch in a designer's words: each problem once, with the names of the steps it is
 * on instead of JSON pointers (/steps/3).
 */
export function launchProblems(error: unknown, steps: { id: string; name?: string | null }[]): string[] {
  if (!(error instanceof ApiError) || !error.problem.errors?.length) return describeError(error);
  const byMessage = new Map<string, string[]>();
  for (const e of error.problem.errors) {
    const index = /^\/steps\/(\d+)/.exec(e.path)?.[1];
    const step = index === undefined ? undefined : steps[Number(index)];
    const where = step ? (step.name ?? step.id) : e.path;
    byMessage.set(e.message, [...(byMessage.get(e.message) ?? []), ...(where ? [where] : [])]);
  }
  // the API counts a problem per step; the page shows one per problem, so it counts those
  const count = byMessage.size === 1 ? 'a problem' : `${byMessage.size} problems`;
  return [
    `Not launched: the checks before launch found ${count}.`,
    ...[...byMessage].map(([message, at]) => `${message}${at.length ? ` (${[...new Set(at)].join(', ')})` : ''}`),
  ];
}
