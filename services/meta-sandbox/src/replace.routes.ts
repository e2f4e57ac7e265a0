import { checkRows, type SandboxAudience } from './audience-store.js';
import { errors, type GraphFailure } from './graph-errors.js';
import { replaceErrors } from './replace-errors.js';
import type { ReplaceBatch } from './replace-sessions.js';
import type { SandboxAccount, SandboxState } from './state.js';
import { isFailure, parseUsersRequest } from './users-request.js';

type Params = Record<string, unknown>;
type Answer = GraphFailure | { status: 200; body: unknown };

/** What the request log notes of a replace batch. */
export interface ReplaceLog {
  action: 'replace';
  rows: number;
  schema: string[];
  numInvalid: number;
  sessionId: string;
  batchSeq: number;
}

const parseJson = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
};

/** Reads `session` as Meta does: an object, or a form field holding JSON. */
export function parseReplaceSession(params: Params): ReplaceBatch | GraphFailure {
  if (params.session === undefined) return replaceErrors.sessionMissing();
  const raw = parseJson(params.session) as Record<string, unknown> | undefined;
  if (!raw || typeof raw !== 'object') return replaceErrors.sessionInvalid('must be a JSON object');
  const id = raw.session_id;
  const sessionId = typeof id === 'number' || typeof id === 'string' ? String(id) : '';
  if (!/^[1-9]\d{0,18}$/.test(sessionId)) return replaceErrors.sessionInvalid('session_id must be a positive int64');
  const seq = Number(raw.batch_seq);
  if (!Number.isInteger(seq) || seq < 1) return replaceErrors.sessionInvalid('batch_seq must be a positive integer');
  const flag = raw.last_batch_flag;
  const total = raw.estimated_num_total === undefined ? undefined : Number(raw.estimated_num_total);
  return {
    sessionId,
    batchSeq: seq,
    lastBatchFlag: flag === true || flag === 'true',
    ...(total !== undefined && Number.isFinite(total) ? { estimatedNumTotal: total } : {}),
  };
}

/** `POST /{audience}/usersreplace` and `GET /{audience}/sessions`, metered by the caller. */
export function replaceRoutes(
  state: SandboxState,
  method: string,
  edge: 'usersreplace' | 'sessions',
  audience: SandboxAudience,
  account: SandboxAccount | undefined,
  params: Params,
  log: (entry: ReplaceLog) => void,
): Answer {
  if (edge === 'sessions') {
    if (method !== 'GET') return errors.unknownPath();
    const wanted = params.session_id;
    const sessionId = typeof wanted === 'string' || typeof wanted === 'number' ? String(wanted) : undefined;
    return { status: 200, body: { data: state.replaces.list(audience.id, sessionId) } };
  }
  if (method !== 'POST') return errors.unknownPath();
  if (!account?.tosAccepted) return errors.tosNotAccepted();
  if (audience.flagged) return errors.audienceFlagged();
  const parsed = parseUsersRequest(params, state.settings.maxRowsPerRequest);
  if (isFailure(parsed)) return parsed;
  const batch = parseReplaceSession(params);
  if (isFailure(batch)) return batch;
  const checked = checkRows(parsed.schema, parsed.data, state.refusedValues);
  log({
    action: 'replace',
    rows: parsed.data.length,
    schema: parsed.schema,
    numInvalid: checked.invalid,
    sessionId: batch.sessionId,
    batchSeq: batch.batchSeq,
  });
  const answer = state.replaces.receive(audience, batch, parsed.schema, checked);
  if (isFailure(answer)) return answer;
  return {
    status: 200,
    body: {
      audience_id: audience.id,
      session_id: batch.sessionId,
      num_received: answer.received,
      num_invalid_entries: answer.invalid,
      invalid_entry_samples: answer.samples,
    },
  };
}
