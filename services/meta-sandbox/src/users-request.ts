import { isDataProcessingColumn, isMatchKey, lookalikeValueColumn } from '@canvas/meta-graph';
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

/** DATA_PROCESSING_OPTIONS is a list (["LDU"] or []); its country and state are integer codes. */
function cellFits(key: string, cell: unknown): boolean {
  if (key === 'DATA_PROCESSING_OPTIONS') return Array.isArray(cell) && cell.every((o) => o === 'LDU');
  if (isDataProcessingColumn(key)) return Number.isInteger(typeof cell === 'string' ? Number(cell) : cell);
  return typeof cell === 'string' || typeof cell === 'number';
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
  // Meta accepts the data-processing (Limited Data Use) and LOOKALIKE_VALUE columns beside the match keys
  const unknown = keys.find((k) => !isMatchKey(k) && !isDataProcessingColumn(k) && k !== lookalikeValueColumn);
  if (unknown) return errors.invalidParameter(`Invalid schema key ${unknown}`);
  if (!Array.isArray(payload.data)) return errors.schemaMismatch();
  if (payload.data.length > maxRows) return errors.tooManyRows();
  // single-key schemas may send a flat list of strings
  const data = (payload.data as unknown[]).map((row): unknown[] => (Array.isArray(row) ? (row as unknown[]) : [row]));
  if (data.some((row) => row.length !== keys.length || row.some((cell, i) => !cellFits(keys[i] ?? '', cell)))) {
    return errors.schemaMismatch();
  }
  const session = parseMaybeJson(params.session) as { session_id?: unknown } | undefined;
  const rawId = session && typeof session === 'object' ? session.session_id : undefined;
  const sessionId = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : undefined;
  const text = (cell: unknown) => (Array.isArray(cell) ? cell.join(',') : String(cell));
  return { schema: keys, data: data.map((row) => row.map(text)), sessionId };
}

export const isFailure = (value: unknown): value is GraphFailure =>
  typeof value === 'object' && value !== null && 'status' in value && 'body' in value;
