import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { CanvasError, errorCode } from '@canvas/canvas';
import { isGraphApiError } from '@canvas/meta-graph';
import type { Logger } from '@canvas/runtime';
import { apiErrors, type ApiErrorCode } from './api-errors.js';

/** One field-level problem: a stable code, a JSON Pointer into the request, a sentence. */
export interface FieldProblem {
  code: string;
  path: string;
  message: string;
}

/** An expected failure, answered as application/problem+json with a stable code from the catalogue. */
export class ApiProblem extends CanvasError {
  declare readonly code: ApiErrorCode;
  readonly title: string;

  constructor(
    code: ApiErrorCode,
    readonly detail?: string,
    readonly errors?: readonly FieldProblem[],
    readonly headers?: Record<string, string>,
  ) {
    super(code, detail ?? apiErrors[code].title, { status: apiErrors[code].status });
    this.name = 'ApiProblem';
    this.title = apiErrors[code].title;
  }

  override get status(): number {
    return apiErrors[this.code].status;
  }
}

/** The typed factory: `apiError('CANVAS_ARCHIVED', 'archived canvases cannot change')`. */
export const apiError = (
  code: ApiErrorCode,
  detail?: string,
  errors?: readonly FieldProblem[],
  headers?: Record<string, string>,
) => new ApiProblem(code, detail, errors, headers);
export const notFound = (what: string) => apiError('NOT_FOUND', `${what} does not exist in this workspace`);
export const conflict = (code: ApiErrorCode, detail: string) => apiError(code, detail);

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
  invalid_type: 'invalid_type',
  too_big: 'too_long',
  too_small: 'too_short',
  unrecognized_keys: 'unknown_field',
  invalid_value: 'invalid_value',
  invalid_format: 'invalid_format',
};

function validationProblems(
  error: FastifyError & {
    validation: { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }[];
  },
  part: string,
): FieldProblem[] {
  return error.validation.flatMap((issue) => {
    const base = `/${part}${issue.instancePath === '/' ? '' : issue.instancePath}`;
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(issue.params.keys)) {
      return (issue.params.keys as string[]).map((key) => ({
        code: 'unknown_field',
        path: `${base}/${key}`,
        message: `"${key}" is not a known field`,
      }));
    }
    const missing = issue.keyword === 'invalid_type' && /received undefined/.test(issue.message ?? '');
    return [
      {
        code: missing ? 'required' : (issueCode[issue.keyword] ?? 'invalid_value'),
        path: base,
        message: issue.message ?? 'invalid',
      },
    ];
  });
}

/**
 * What is logged of an unexpected error: its kind, codes and where it was thrown, never its
 * message or detail (PostgreSQL's quote the values of the request).
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (typeof error !== 'object' || error === null) return { type: typeof error };
  const e = error as {
    name?: unknown;
    constraint?: unknown;
    table?: unknown;
    column?: unknown;
    routine?: unknown;
    stack?: unknown;
  };
  const fields = {
    type: e.name,
    code: errorCode(error),
    constraint: e.constraint,
    table: e.table,
    column: e.column,
    routine: e.routine,
  };
  const frames =
    typeof e.stack === 'string'
      ? e.stack
          .split('\n')
          .filter((line) => line.trimStart().startsWith('at '))
          .join('\n')
      : undefined;
  return Object.fromEntries(Object.entries({ ...fields, stack: frames }).filter(([, v]) => v !== undefined));
}

/** Turns every error into problem+json; nothing a client sends can produce a 500. */
export function problemErrorHandler(logger: Logger) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ApiProblem) {
      // our own 5xx answers (e.g. an unreadable stored canvas) are for the SRE too; their details name ids, not values
      if (error.status >= 500)
        logger.error(
          {
            code: error.code,
            detail: error.detail,
            route: `${request.method} ${request.routeOptions.url ?? '(no route)'}`,
          },
          'server-side problem',
        );
      return sendProblem(reply, error);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const part = error.validationContext ?? 'body';
      const errors = validationProblems(error, part === 'querystring' ? 'query' : part);
      return sendProblem(reply, apiError('VALIDATION_FAILED', `${errors.length} problem(s) in the ${part}`, errors));
    }
    if (isGraphApiError(error)) {
      if (error.classification === 'throttled' || error.classification === 'transient') {
        const seconds = Math.ceil((error.details.retryAfterMs ?? 30_000) / 1000);
        return sendProblem(
          reply,
          apiError(
            'META_UNAVAILABLE',
            `Meta's Graph API is busy or failing (${error.code}); try again later`,
            undefined,
            { 'retry-after': String(seconds) },
          ),
        );
      }
      return sendProblem(reply, apiError('META_REJECTED', `${error.code}: ${error.message}`));
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return sendProblem(reply, apiError('PAYLOAD_TOO_LARGE', error.message));
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return sendProblem(reply, apiError('UNSUPPORTED_MEDIA_TYPE', 'send application/json'));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      const invalidJson = error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY';
      return sendProblem(reply, apiError(invalidJson ? 'INVALID_JSON' : 'BAD_REQUEST', error.message));
    }
    // the route's pattern, not the URL: paths and queries carry user ids and other request values
    const route = `${request.method} ${request.routeOptions.url ?? '(no route)'}`;
    if (isResponseSerializationError(error))
      logger.error({ error: loggableError(error.cause), route }, 'response did not match its schema');
    else logger.error({ error: loggableError(error), route }, 'unexpected error');
    return sendProblem(reply, apiError('INTERNAL', 'the error was logged'));
  };
}
