import { wireRow } from './limited-data-use.js';
import { maxUsersPerRequest, type UsersPayload } from './payload.js';
import type { GraphCall, GraphResult } from './transport.js';

export interface UsersResult {
  audienceId: string;
  sessionId?: string;
  numReceived: number;
  numInvalidEntries: number;
  invalidEntrySamples: unknown;
}

export interface UploadSession {
  sessionId: string | number;
  batchSeq: number;
  lastBatchFlag: boolean;
  estimatedNumTotal?: number;
}

/** Where a users write is counted (the ad account's usage headers) and which upload session it joins. */
export interface UsersContext {
  adAccountId?: string;
  session?: UploadSession;
}

/** A users write's answer as Meta sends it. */
export interface RawUsersResult {
  audience_id?: string;
  session_id?: string;
  num_received?: number;
  num_invalid_entries?: number;
  invalid_entry_samples?: unknown;
}

/** A users write's body: the payload's rows as Meta reads them, and the upload session it joins. */
export function usersBody(payload: UsersPayload, session?: UploadSession) {
  if (payload.data.length > maxUsersPerRequest) throw new RangeError(`at most ${maxUsersPerRequest} users per request`);
  return {
    payload: { schema: payload.schema, data: payload.data.map((row) => wireRow(payload.schema, row)), is_raw: true },
    ...(session
      ? {
          session: {
            session_id: session.sessionId,
            batch_seq: session.batchSeq,
            last_batch_flag: session.lastBatchFlag,
            ...(session.estimatedNumTotal ? { estimated_num_total: session.estimatedNumTotal } : {}),
          },
        }
      : {}),
  };
}

export const toUsersResult = (raw: RawUsersResult): UsersResult => ({
  audienceId: String(raw.audience_id ?? ''),
  ...(raw.session_id === undefined ? {} : { sessionId: String(raw.session_id) }),
  numReceived: raw.num_received ?? 0,
  numInvalidEntries: raw.num_invalid_entries ?? 0,
  invalidEntrySamples: raw.invalid_entry_samples ?? {},
});

/** Adding and removing an audience's members, hashed rows in the request body. */
export function usersCalls(call: GraphCall) {
  const write = async (
    method: 'POST' | 'DELETE',
    token: string,
    audienceId: string,
    payload: UsersPayload,
    context: UsersContext,
  ): Promise<GraphResult<UsersResult>> => {
    const result = await call<RawUsersResult>(method, `${audienceId}/users`, token, {
      body: usersBody(payload, context.session),
      usageAccountId: context.adAccountId,
    });
    return { usage: result.usage, data: toUsersResult(result.data) };
  };
  return {
    async addUsers(
      token: string,
      audienceId: string,
      payload: UsersPayload,
      context: UsersContext = {},
    ): Promise<GraphResult<UsersResult>> {
      return write('POST', token, audienceId, payload, context);
    },

    /** Removals go in the request body: large DELETEs in a query string fail at Meta. */
    async removeUsers(
      token: string,
      audienceId: string,
      payload: UsersPayload,
      context: UsersContext = {},
    ): Promise<GraphResult<UsersResult>> {
      return write('DELETE', token, audienceId, payload, context);
    },
  };
}
