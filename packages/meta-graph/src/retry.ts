import pRetry from 'p-retry';
import { isGraphApiError } from './errors.js';

export interface TransientRetryOptions {
  retries?: number;
  minTimeoutMs?: number;
  maxTimeoutMs?: number;
  signal?: AbortSignal;
  onRetry?: (error: Error, attempt: number) => void;
}

/**
 * Retries a call on transient failures (5xx, network, codes 1/2, is_transient) with jittered
 * exponential backoff. Throttles and permanent errors are returned to the caller at once:
 * the limiter waits for throttles, and permanent errors must not burn the retry window.
 */
export function withTransientRetry<T>(operation: () => Promise<T>, options: TransientRetryOptions = {}): Promise<T> {
  return pRetry(operation, {
    retries: options.retries ?? 3,
    minTimeout: options.minTimeoutMs ?? 200,
    maxTimeout: options.maxTimeoutMs ?? 5000,
    factor: 2,
    randomize: true,
    ...(options.signal ? { signal: options.signal } : {}),
    shouldRetry: ({ error }) => isGraphApiError(error) && error.classification === 'transient',
    onFailedAttempt: ({ error, attemptNumber }) => options.onRetry?.(error, attemptNumber),
  });
}
