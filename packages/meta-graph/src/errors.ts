import { CanvasError, errorCode } from '@canvas/canvas';

/** What the caller should do about a failed Graph API call. */
export const errorClasses = [
  'throttled',
  'transient',
  'token_invalid',
  'tos_not_accepted',
  'permission',
  'audience_missing',
  'audience_flagged',
  'audience_too_small',
  'invalid_request',
] as const;
export type ErrorClass = (typeof errorClasses)[number];

/** Meta's error envelope, as far as the client reads it. */
export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
  fbtrace_id?: string;
}

/**
 * A failed Graph API call with a stable `code` (`META_<CLASS>`), Meta's own code and subcode,
 * the trace id to quote to Meta, and how long to wait before the next call when throttled.
 */
export class GraphApiError extends CanvasError {
  declare readonly code: `META_${Uppercase<ErrorClass>}`;
  constructor(
    readonly classification: ErrorClass,
    message: string,
    readonly details: {
      httpStatus?: number | undefined;
      metaCode?: number | undefined;
      metaSubcode?: number | undefined;
      fbtraceId?: string | undefined;
      /** For throttles: milliseconds until Meta expects to accept calls again. */
      retryAfterMs?: number | undefined;
      cause?: unknown;
    } = {},
  ) {
    super(`META_${classification.toUpperCase() as Uppercase<ErrorClass>}`, message, {
      retryable: classification === 'throttled' || classification === 'transient',
      ...(details.cause === undefined ? {} : { cause: details.cause }),
    });
    this.name = 'GraphApiError';
  }

  /** A JSON-safe summary for storage and API answers. */
  toJSON() {
    return {
      code: this.code,
      classification: this.classification,
      message: this.message,
      httpStatus: this.details.httpStatus ?? null,
      metaCode: this.details.metaCode ?? null,
      metaSubcode: this.details.metaSubcode ?? null,
      fbtraceId: this.details.fbtraceId ?? null,
    };
  }
}

export function isGraphApiError(error: unknown): error is GraphApiError {
  return (
    typeof error === 'object' &&
    error !== null &&
    'classification' in error &&
    (errorCode(error)?.startsWith('META_') ?? false)
  );
}

const throttleCodes = new Set([4, 17, 32, 341, 613]);
const tosSubcodes = new Set([1870034, 1870090, 1870092]);
const tosCodes = new Set([1870090, 1870092, 2655, 2663]);
const tokenCodes = new Set([102, 104, 190, 458, 459, 460, 463, 464, 467, 492]);

/**
 * Decides by Meta's code and subcode, never by HTTP status: Meta sends throttles and
 * expired tokens as HTTP 400.
 */
export function classifyGraphError(body: GraphErrorBody, httpStatus: number): ErrorClass {
  const code = body.code;
  const sub = body.error_subcode;
  if (code === undefined) return httpStatus >= 500 || httpStatus === 429 ? 'transient' : 'invalid_request';
  if (throttleCodes.has(code) || (code >= 80000 && code <= 80014)) return 'throttled';
  if (tokenCodes.has(code)) return 'token_invalid';
  if ((sub !== undefined && tosSubcodes.has(sub)) || tosCodes.has(code)) return 'tos_not_accepted';
  if (code === 200 && sub === 1870047) return 'audience_too_small';
  if ((code === 100 && sub === 33) || code === 1487366 || sub === 1487366) return 'audience_missing';
  // a flagged audience (operation_status 471) refuses membership edits until the advertiser resolves it
  if (code === 100 && sub === 1713230) return 'audience_flagged';
  // "(#803) … do not exist: users" right after create: the new audience's edge is not visible yet
  if (code === 803 && /do not exist: users/.test(body.message ?? '')) return 'transient';
  // a replace or update of the audience is running (1870145), or Meta asks to try again (1870148)
  if (code === 2650 && (sub === 1870145 || sub === 1870148)) return 'transient';
  if (body.is_transient === true || code === 1 || code === 2 || code < 0 || code === 368) return 'transient';
  if (code === 10 || code === 270 || code === 294 || (code >= 200 && code <= 299) || code === 2654 || code === 1487301)
    return 'permission';
  if (httpStatus >= 500) return 'transient';
  return 'invalid_request';
}
