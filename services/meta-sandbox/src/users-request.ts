import { isMatchKey } from '@canvas/meta-graph';
import { errors, type GraphFailure } from './graph-errors.js';

export interface UsersRequest {
  schema: string[];
  data: string[][];
  sessionId?: string | undefined;
}

function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Reads `payload` (and `session`) as Meta does: a JSON object, or a form field holding JSON. */
export function parseUsersRequest(params: Record<string, unknown>, maxRows: number): UsersRequest | GraphFailure {
  if (params.payload === undefined) return errors.invalidParameter('The parameter payload is required');
  const payload = parseMaybeJson(params.payload) as { schema?: unknown; data?: unknown } | undefined;
  if (!payload || typeof payload !== 'object') return errors.invalidParameter('param payload must be a JSON object');
  const schema = typeof payload.schema === 'string' ? [payload.schema] : payload.schema;
  if (!Array.isArray(schema) || schema.length === 0 || !schema.every((k) => typeof k === 'string')) {
    return errors.invalidParameter('payload.schema must be a key or a list of keys');
  }
  const keys = schema.map(
    (k) => ({ EMAIL_SHA256: 'EMAIL', PHONE_SHA256: 'PHONE', MOBILE_ADVERTISER_ID: 'MADID' })[k] ?? k,
  );
  const unknown = keys.find((k) => !isMatchKey(k));
  if (unknown) return errors.invalidParameter(`Invalid schema key ${unknown}`);
  if (!Array.isArray(payload.data)) return errors.schemaMismatch();
  if (payload.data.length > maxRows) return errors.tooManyRows();
  // single-key schemas may send a flat list of strings
  const data = (payload.data as unknown[]).map((row): unknown[] => (Array.isArray(row) ? (row as unknown[]) : [row]));
  if (
    data.some(
      (row) => row.length !== keys.length || row.some((cell) => typeof cell !== 'string' && typeof cell !== 'number'),
    )
  ) {
    return errors.schemaMismatch();
  }
  const session = parseMaybeJson(params.session) as { session_id?: unknown } | undefined;
  const rawId = session && typeof session === 'object' ? session.session_id : undefined;
  const sessionId = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : undefined;
  return { schema: keys, data: data.map((row) => row.map((cell) => String(cell as string | number))), sessionId };
}

export const isFailure = (value: unknown): value is GraphFailure =>
  typeof value === 'object' && value !== null && 'status' in value && 'body' in value;
