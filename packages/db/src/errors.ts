import { CanvasError } from '@canvas/canvas';

/** Errors raised by the data layer, with a stable code to compare. */
export class DataError extends CanvasError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options?.cause === undefined ? {} : { cause: options.cause });
    this.name = 'DataError';
  }
}
