import { pingDatabase } from '@canvas/db';
import type { CheckFailureSink, Logger, ReadinessCheck } from '@canvas/runtime';
import type { ApiDeps } from './deps.js';
import { loggableError } from './problem.js';

/** What the API needs to serve: answered on /readyz of both listeners. */
export const apiReadiness = (deps: Pick<ApiDeps, 'db'>): ReadinessCheck[] => [
  { name: 'postgres', check: () => pingDatabase(deps.db) },
];

/** A failed check's detail goes to the log; the answer says only `failed`. */
export const logCheckFailure =
  (logger: Logger): CheckFailureSink =>
  (name, error) =>
    logger.warn({ check: name, error: loggableError(error) }, 'readiness check failed');
