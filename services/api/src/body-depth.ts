import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiError, sendProblem } from './problem.js';

/** How deep a request body may nest arrays and objects: far beyond any real body, far below a stack. */
export const maxBodyDepth = 64;

/**
 * The JSON Pointer of the first value nested deeper than `limit`, or undefined. Iterative, so
 * a body nested 50,000 deep costs a loop, not a stack overflow.
 */
export function findTooDeep(value: unknown, limit: number, root = ''): string | undefined {
  const stack: { value: unknown; pointer: string; depth: number }[] = [{ value, pointer: root, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth >= limit) return item.pointer;
    for (const [key, child] of Object.entries(item.value))
      if (typeof child === 'object' && child !== null)
        stack.push({ value: child, pointer: `${item.pointer}/${escape(key)}`, depth: item.depth + 1 });
  }
  return undefined;
}

const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Refuses a body nested deeper than `maxBodyDepth` before any recursive walk (validation, text checks) sees it. */
export async function refuseDeepBody(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const pointer = findTooDeep(request.body, maxBodyDepth, '/body');
  if (pointer === undefined) return;
  const problem = {
    code: 'too_deep',
    path: pointer,
    message: `arrays and objects nest at most ${maxBodyDepth} levels deep`,
  };
  await sendProblem(reply, apiError('BODY_TOO_DEEP', `the body nests deeper than ${maxBodyDepth} levels`, [problem]));
}
