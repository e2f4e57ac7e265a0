import { describe, expect, it } from '@jest/globals';
import { replaceErrorKind, type ReplaceErrorKind } from './replace-errors.js';
import { toUploadSessionState, uploadSessionEnded } from './users-replace.js';

describe('replaceErrorKind', () => {
  it.each<[number | undefined, number | undefined, ReplaceErrorKind | undefined]>([
    [2650, 1870145, 'update_in_progress'],
    [2650, 1870158, 'session_timed_out'],
    [2650, 1870147, 'first_batch_missing'],
    [2650, 1870159, 'session_finished'],
    [2650, 1870148, 'try_again'],
    [2650, 1870144, 'audience_too_large'],
    [2650, undefined, undefined],
    [2650, 33, undefined],
    [100, 1870145, undefined],
    [undefined, undefined, undefined],
  ])('%s/%s → %s', (code, subcode, kind) => {
    expect(replaceErrorKind(code, subcode)).toBe(kind);
  });
});

describe('an upload session as the sessions edge reports it', () => {
  // the answer a stuck session gave in facebook-java-business-sdk issue 492
  const stuck = {
    session_id: '653573199724136401',
    start_time: '1757326241',
    end_time: '0',
    num_received: '10000',
    num_matched: '-1',
    num_invalid_entries: '0',
    progress: '0',
    stage: 'uploading',
  };

  it("reads Meta's numeric strings, keeping a session id too large for a number exact", () => {
    expect(toUploadSessionState(stuck)).toEqual({
      sessionId: '653573199724136401',
      startTime: 1757326241,
      endTime: 0,
      numReceived: 10_000,
      numInvalidEntries: 0,
      numMatched: -1,
      progress: 0,
      stage: 'uploading',
    });
  });

  it('has ended only with an end time and a stage past uploading and processing', () => {
    expect(uploadSessionEnded(toUploadSessionState(stuck))).toBe(false);
    expect(uploadSessionEnded(toUploadSessionState({ ...stuck, end_time: '1757326900' }))).toBe(false);
    expect(uploadSessionEnded(toUploadSessionState({ ...stuck, stage: 'processing' }))).toBe(false);
    // ended, but Meta is still applying it: the audience is not replaced yet
    expect(uploadSessionEnded(toUploadSessionState({ ...stuck, end_time: '1757326900', stage: 'processing' }))).toBe(
      false,
    );
    expect(
      uploadSessionEnded(
        toUploadSessionState({ ...stuck, end_time: '1757326900', stage: 'finished', num_matched: '9' }),
      ),
    ).toBe(true);
  });

  it('treats missing or unreadable fields as unknown, not as finished', () => {
    expect(toUploadSessionState({})).toMatchObject({ sessionId: '', endTime: 0, numMatched: -1, stage: '' });
    expect(uploadSessionEnded(toUploadSessionState({ end_time: 'soon', stage: 'done' }))).toBe(false);
  });
});
