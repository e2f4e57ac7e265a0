import { errorCode } from '@canvas/canvas';

/**
 * Whether a failure while applying messages is about the world (try again later) or about the
 * messages (find the one at fault and dead-letter it). When in doubt it is the messages': the
 * caller checks the database is reachable before it dead-letters anything.
 */
export type FailureKind = 'transient' | 'message';

// SQLSTATE classes: connection, transaction rollback (serialization, deadlock), insufficient
// resources, operator intervention (shutdown, statement timeout), system error, internal error
const transientClasses = new Set(['08', '40', '53', '57', '58', 'XX']);
const transientNetworkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
// node-postgres says these without a SQLSTATE when a connection drops or the pool is exhausted
const transientPoolMessages = [/connection terminated/i, /timeout exceeded when trying to connect/i, /not queryable/i];

/** The SQLSTATE of a PostgreSQL error, if it is one. */
export function sqlStateOf(error: unknown): string | undefined {
  const code = errorCode(error);
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function failureKind(error: unknown): FailureKind {
  if (typeof error !== 'object' || error === null) return 'message';
  const code = errorCode(error);
  // before SQLSTATEs: EPIPE has their shape
  if (code !== undefined && transientNetworkCodes.has(code)) return 'transient';
  const state = sqlStateOf(error);
  if (state) return transientClasses.has(state.slice(0, 2)) ? 'transient' : 'message';
  // the broker's client: a dead-letter or offset write that could not reach Kafka
  if (error instanceof Error && error.name.startsWith('KafkaJS')) return 'transient';
  if (error instanceof Error && transientPoolMessages.some((m) => m.test(error.message))) return 'transient';
  return 'message';
}
