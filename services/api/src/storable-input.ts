import type { FastifyReply, FastifyRequest } from 'fastify';
import { describeUnstorable, findUnstorableText } from '@canvas/canvas';
import { apiError, sendProblem } from './problem.js';

/**
 * Refuses text PostgreSQL could never store (NUL, unpaired UTF-16 surrogates) anywhere in the
 * path, query or body, with the field's pointer, before any route sees it.
 */
export async function refuseUnstorableText(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  for (const [part, value] of [
    ['path', request.params],
    ['query', request.query],
    ['body', request.body],
  ] as const) {
    const found = findUnstorableText(value, `/${part}`);
    if (!found) continue;
    const problem = { code: 'unstorable_text', path: found.pointer, message: describeUnstorable(found) };
    await sendProblem(reply, apiError('VALIDATION_FAILED', `1 problem(s) in the ${part}`, [problem]));
    return;
  }
}
