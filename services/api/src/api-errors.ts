/**
 * Every error code the designer API answers with, its HTTP status and title: the one catalogue
 * the routes, the README's table and the tests read (as fastify keeps lib/errors.js).
 */
export const apiErrors = {
  VALIDATION_FAILED: { status: 400, title: 'Request is invalid' },
  INVALID_JSON: { status: 400, title: 'Bad Request' },
  BAD_REQUEST: { status: 400, title: 'Bad Request' },
  BODY_TOO_DEEP: { status: 400, title: 'Request body nests too deep' },
  FACEBOOK_LOGIN_STATE_INVALID: { status: 400, title: 'Facebook Login link not valid' },
  UNAUTHORIZED: { status: 401, title: 'Unauthorized' },
  FACEBOOK_LOGIN_NOT_BOUND: { status: 403, title: 'Facebook Login finished in another browser' },
  API_KEY_OLDER: { status: 403, title: 'Forbidden' },
  NOT_FOUND: { status: 404, title: 'Not Found' },
  LAST_API_KEY: { status: 409, title: 'Conflict' },
  AD_ACCOUNT_EXISTS: { status: 409, title: 'Conflict' },
  AD_ACCOUNT_IN_USE: { status: 409, title: 'Conflict' },
  CANVAS_ARCHIVED: { status: 409, title: 'Conflict' },
  CANVAS_ALREADY_LIVE: { status: 409, title: 'Conflict' },
  CANVAS_STATE_CONFLICT: { status: 409, title: 'Conflict' },
  CANVAS_CHANGED: { status: 409, title: 'Conflict' },
  SEGMENT_IN_USE: { status: 409, title: 'Conflict' },
  REDRIVE_ACCOUNT_UNUSABLE: { status: 409, title: 'Ad account cannot be used' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, title: 'Idempotency-Key already used' },
  FACEBOOK_LOGIN_NOT_CONFIGURED: { status: 409, title: 'Facebook Login is not configured' },
  FACEBOOK_LOGIN_NOT_AUTHORIZED: { status: 409, title: 'Facebook Login not authorized' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload Too Large' },
  URI_TOO_LONG: { status: 414, title: 'URI Too Long' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported Media Type' },
  ESTIMATE_TOO_COSTLY: { status: 422, title: 'Estimate too costly' },
  WORKSPACE_BUSY: { status: 429, title: 'Too Many Requests' },
  CANVAS_INVALID: { status: 422, title: 'Canvas is invalid' },
  SEGMENT_INVALID: { status: 422, title: 'Segment is invalid' },
  LAUNCH_PREFLIGHT_FAILED: { status: 422, title: 'Canvas cannot be launched' },
  AUDIENCE_CREATION_FAILED: { status: 422, title: 'Audiences could not all be created' },
  AD_SET_LINK_FAILED: { status: 422, title: 'Audience not linked to every ad set' },
  AD_ACCOUNT_NOT_OFFERED: { status: 422, title: 'Ad account not reachable with this login' },
  TOKEN_INVALID: { status: 422, title: 'Access token rejected' },
  TOKEN_SCOPE_MISSING: { status: 422, title: 'Access token lacks a permission' },
  AD_ACCOUNT_NOT_ACCESSIBLE: { status: 422, title: 'Ad account not accessible' },
  INTERNAL: { status: 500, title: 'Internal Server Error' },
  CANVAS_UNREADABLE: { status: 500, title: 'Stored canvas cannot be read' },
  META_REJECTED: { status: 502, title: 'Meta refused the call' },
  META_UNAVAILABLE: { status: 503, title: 'Meta is not answering' },
  EXPENSIVE_WORK_BUSY: { status: 503, title: 'Service Unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ApiErrorCode = keyof typeof apiErrors;
export const apiErrorCodes = Object.keys(apiErrors) as ApiErrorCode[];
