import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isGraphApiError } from '@canvas/meta-graph';
import type { Logger } from '@canvas/runtime';

/** One field-level problem: a stable code, a JSON Pointer into the request, a sentence. */
export interface FieldProblem {
  code: string;
  path: string;
  message: string;
}

/** An expected failure, answered as application/problem+json with a stable code. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: readonly FieldProblem[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
    this.name = 'ApiProblem';
  }
}

export const notFound = (what: string) => new ApiProblem(404, 'NOT_FOUND', 'Not Found', `${what} does not exist in this workspace`);
export const conflict = (code: string, detail: string) => new ApiProblem(409, code, 'Conflict', detail);

export function sendProblem(reply: FastifyReply, problem: ApiProblem): FastifyReply {
  return reply
    .code(problem.status)
    .headers(problem.headers ?? {})
    .type('application/problem+json')
    .send({
      type: `urn:canvas:problem:${problem.code.toLowerCase().replace(/_/g, '-')}`,
      title: problem.title,
      status: problem.status,
      code: problem.code,
      ...(problem.detail ? { detail: problem.detail } : {}),
      ...(problem.errors ? { errors: problem.errors } : {}),
    });
}

const issueCode: Record<string, string> = {
  invalid_type: 'invalid_type', too_big: 'too_long', too_small: 'too_short', unrecognized_keys: 'unknown_field', invalid_value: 'invalid_value', invalid_format: 'invalid_format',
};

function validationProblems(error: FastifyError & { validation: { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }[] }, part: string): FieldProblem[] {
  return error.validation.flatMap((issue) => {
    const base = `/${part}${issue.instancePath === '/' ? '' : issue.instancePath}`;
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(issue.params.keys)) {
      return (issue.params.keys as string[]).map((key) => ({ code: 'unknown_field', path: `${base}/${key}`, message: `"${key}" is not a known field` }));
    }
    const missing = issue.keyword === 'invalid_type' && /received undefined/.test(issue.message ?? '');
    return [{ code: missing ? 'required' : (issueCode[issue.keyword] ?? 'invalid_value'), path: base, message: issue.message ?? 'invalid' }];
  });
}

/**
 * What is logged of an unexpected error: its kind, codes and where it was thrown, never its
 * message or detail (PostgreSQL's quote the values of the request).
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (typeof error !== 'object' || error === null) return { type: typeof error };
  const e = error as { name?: unknown; code?: unknown; constraint?: unknown; table?: unknown; column?: unknown; routine?: unknown; stack?: unknown };
  const fields = { type: e.name, code: e.code, constraint: e.constraint, table: e.table, column: e.column, routine: e.routine };
  const frames = typeof e.stack === 'string' ? e.stack.split('\n').filter((line) => line.trimStart().startsWith('at ')).join('\n') : undefined;
  return Object.fromEntries(Object.entries({ ...fields, stack: frames }).filter(([, v]) => v !== undefined));
}

/** Turns every error into problem+json; nothing a client sends can produce a 500. */
export function problemErrorHandler(logger: Logger) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ApiProblem) return sendProblem(reply, error);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const part = error.validationContext ?? 'body';
      const errors = validationProblems(error, part === 'querystring' ? 'query' : part);
      return sendProblem(reply, new ApiProblem(400, 'VALIDATION_FAILED', 'Request is invalid', `${errors.length} problem(s) in the ${part}`, errors));
    }
    if (isGraphApiError(error)) {
      if (error.classification === 'throttled' || error.classification === 'transient') {
        const seconds = Math.ceil((error.details.retryAfterMs ?? 30_000) / 1000);
        return sendProblem(reply, new ApiProblem(503, 'META_UNAVAILABLE', 'Meta is not answering', `Meta's Graph API is busy or failing (${error.code}); try again later`, undefined, { 'retry-after': String(seconds) }));
      }
      return sendProblem(reply, new ApiProblem(502, 'META_REJECTED', 'Meta refused the call', `${error.code}: ${error.message}`));
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendProblem(reply, new ApiProblem(413, 'PAYLOAD_TOO_LARGE', 'Payload Too Large', error.message));
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendProblem(reply, new ApiProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported Media Type', 'send application/json'));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      const code = error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'INVALID_JSON' : 'BAD_REQUEST';
      return sendProblem(reply, new ApiProblem(error.statusCode, code, 'Bad Request', error.message));
    }
    // the route's pattern, not the URL: paths and queries carry user ids and other request values
    const route = `${request.method} ${request.routeOptions.url ?? '(no route)'}`;
    if (isResponseSerializationError(error)) logger.error({ error: loggableError(error.cause), route }, 'response did not match its schema');
    else logger.error({ error: loggableError(error), route }, 'unexpected error');
    return sendProblem(reply, new ApiProblem(500, 'INTERNAL', 'Internal Server Error', 'the error was logged'));
  };
}
