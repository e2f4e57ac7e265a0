import { sql } from 'kysely';
import { hasCode } from '@canvas/canvas';
import type { Tx } from './connection.js';

/** Cancels any statement of this transaction that runs longer than `ms` (SET LOCAL: ends with it). */
export async function limitStatementTime(tx: Tx, ms: number): Promise<void> {
  await sql`SELECT set_config('statement_timeout', ${String(Math.max(1, Math.round(ms)))}, true)`.execute(tx);
}

/** PostgreSQL cancelled the statement: `statement_timeout` (SQLSTATE 57014, query_canceled). */
export function isStatementTimeout(error: unknown): boolean {
  return hasCode(error, '57014');
}
