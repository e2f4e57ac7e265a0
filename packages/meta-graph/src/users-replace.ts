import type { UsersPayload } from './payload.js';
import type { GraphCall, GraphResult } from './transport.js';
import { toUsersResult, usersBody, type RawUsersResult, type UploadSession, type UsersResult } from './users.js';

/**
 * One upload session as Meta's `/{audience}/sessions` edge reports it. Meta sends every number as a
 * numeric string; a session still being processed (or stuck) says `stage: "uploading"`,
 * `end_time: "0"` and `num_matched: "-1"`.
 */
export interface UploadSessionState {
  sessionId: string;
  /** Unix seconds; 0 while unknown. */
  startTime: number;
  /** Unix seconds; 0 while the upload has not ended. */
  endTime: number;
  numReceived: number;
  numInvalidEntries: number;
  /** -1 until Meta has matched the session's users. */
  numMatched: number;
  progress: number;
  stage: string;
}

const sessionFields = 'session_id,start_time,end_time,num_received,num_invalid_entries,num_matched,progress,stage';

const numberOf = (value: unknown, otherwise: number): number => {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : otherwise;
};

/** A session as the sessions edge lists it, numbers read from Meta's numeric strings. */
export function toUploadSessionState(raw: Record<string, unknown>): UploadSessionState {
  return {
    sessionId: typeof raw.session_id === 'string' || typeof raw.session_id === 'number' ? String(raw.session_id) : '',
    startTime: numberOf(raw.start_time, 0),
    endTime: numberOf(raw.end_time, 0),
    numReceived: numberOf(raw.num_received, 0),
    numInvalidEntries: numberOf(raw.num_invalid_entries, 0),
    numMatched: numberOf(raw.num_matched, -1),
    progress: numberOf(raw.progress, 0),
    stage: typeof raw.stage === 'string' ? raw.stage : '',
  };
}

/** Stages of a session Meta is still working on: a stuck one keeps saying "uploading". */
const unfinishedStages = new Set(['uploading', 'processing']);

/**
 * Whether Meta has finished with a session it received the last batch of: the upload has an end
 * time and its stage is past uploading and processing. Meta does not document the stage values;
 * these are the fields a stuck session was seen with.
 */
export const uploadSessionEnded = (session: UploadSessionState): boolean =>
  session.endTime > 0 && !unfinishedStages.has(session.stage);

/** Replacing an audience's members through upload sessions, and reading a session's state. */
export function replaceCalls(call: GraphCall) {
  return {
    /**
     * One batch of a replace session: `batchSeq` 1 starts the replace (Meta deletes the members when
     * the session closes), later batches add to it, `lastBatchFlag` closes it. The session object is
     * sent as `/users` sends it.
     */
    async replaceUsers(
      token: string,
      audienceId: string,
      payload: UsersPayload,
      session: UploadSession,
      context: { adAccountId?: string } = {},
    ): Promise<GraphResult<UsersResult>> {
      const result = await call<RawUsersResult>('POST', `${audienceId}/usersreplace`, token, {
        body: usersBody(payload, session),
        usageAccountId: context.adAccountId,
      });
      return { usage: result.usage, data: toUsersResult(result.data) };
    },

    /** The session with this id as Meta reports it, or undefined when Meta lists none. */
    async readUploadSession(
      token: string,
      audienceId: string,
      sessionId: string,
      context: { adAccountId?: string } = {},
    ): Promise<GraphResult<UploadSessionState | undefined>> {
      const result = await call<{ data?: Record<string, unknown>[] }>('GET', `${audienceId}/sessions`, token, {
        query: { session_id: sessionId, fields: sessionFields },
        usageAccountId: context.adAccountId,
      });
      const sessions = (result.data.data ?? []).map(toUploadSessionState);
      return { usage: result.usage, data: sessions.find((s) => s.sessionId === sessionId) };
    },
  };
}
