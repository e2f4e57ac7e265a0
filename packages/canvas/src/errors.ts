/**
 * The base of every error the project raises on purpose: a stable code to compare,
 * an HTTP status where one applies, and whether trying again may help.
 */
export class CanvasError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly options: { status?: number; retryable?: boolean; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CanvasError';
  }

  get status(): number | undefined {
    return this.options.status;
  }

  get retryable(): boolean {
    return this.options.retryable ?? false;
  }
}

/** The `code` a thrown value carries (ours, Node's `ENOENT`, PostgreSQL's SQLSTATE, undici's), if it is a string. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** True when the value carries the given stable error code. */
export function hasCode(error: unknown, code: string): boolean {
  return errorCode(error) === code;
}
