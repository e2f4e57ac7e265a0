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
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function failureKind(error: unknown): FailureKind {
  if (typeof error !== 'object' || error === null) return 'message';
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  // before SQLSTATEs: EPIPE has their shape
  if (typeof code === 'string' && transientNetworkCodes.has(code)) return 'transient';
  const state = sqlStateOf(error);
  if (state) return transientClasses.has(state.slice(0, 2)) ? 'transient' : 'message';
  // the broker's client: a dead-letter or offset write that could not reach Kafka
  if (typeof name === 'string' && name.startsWith('KafkaJS')) return 'transient';
  if (typeof message === 'string' && transientPoolMessages.some((m) => m.test(message))) return 'transient';
  return 'message';
}
