import type { FastifyReply, FastifyRequest } from 'fastify';
import { findTooDeep, maxJsonDepth } from '@canvas/canvas';
import { apiError, sendProblem } from './problem.js';

/** How deep a request body may nest: the same limit as an event's. */
export const maxBodyDepth = maxJsonDepth;

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
