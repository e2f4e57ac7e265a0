/** Meta's error code for a failed custom-audience update; a replace's subcodes say what went wrong. */
export const audienceUpdateFailedCode = 2650;

/**
 * What a `/usersreplace` answer's 2650 subcode means for the session (Meta's Customer File Custom
 * Audiences guide, "Replace users"), and so what the uploader should do:
 * - `update_in_progress` (1870145): another update or replace runs; wait until it ends, then send again;
 * - `session_timed_out` (1870158): 90 minutes passed since the first batch; Meta closed the session with
 *   what had arrived, so the audience holds only part of the upload: start a new session;
 * - `first_batch_missing` (1870147, "Invalid Upload Batch for Replace"): Meta has no batch 1 of this
 *   session: start a new session;
 * - `session_finished` (1870159): the session already received its last batch;
 * - `try_again` (1870148): something went wrong at Meta; the same batch may be sent again;
 * - `audience_too_large` (1870144): 100 million members or more cannot be replaced.
 */
export const replaceErrorKinds = [
  'update_in_progress',
  'session_timed_out',
  'first_batch_missing',
  'session_finished',
  'try_again',
  'audience_too_large',
] as const;
export type ReplaceErrorKind = (typeof replaceErrorKinds)[number];

const bySubcode: ReadonlyMap<number, ReplaceErrorKind> = new Map([
  [1870145, 'update_in_progress'],
  [1870158, 'session_timed_out'],
  [1870147, 'first_batch_missing'],
  [1870159, 'session_finished'],
  [1870148, 'try_again'],
  [1870144, 'audience_too_large'],
]);

/** The replace-specific meaning of Meta's code and subcode, if they are one of the replace errors. */
export function replaceErrorKind(
  metaCode: number | undefined,
  metaSubcode: number | undefined,
): ReplaceErrorKind | undefined {
  if (metaCode !== audienceUpdateFailedCode || metaSubcode === undefined) return undefined;
  return bySubcode.get(metaSubcode);
}

/** Meta closes a replace session this long after its first batch and replaces the audience with what arrived. */
export const replaceSessionWindowMs = 90 * 60_000;

/** Meta's `operation_status` codes of an audience during and after a replace. */
export const replaceOperationStatus = { inProgress: 414, failed: 415 } as const;
