import { graphError } from './graph-errors.js';

const failed = (subcode: number, title: string, detail: string) =>
  graphError(2650, `(#2650) Failed to update the custom audience: ${title}: ${detail}`, {
    subcode,
    userTitle: title,
    userMsg: detail,
  });

/**
 * A replace's errors: code 2650 with the subcodes Meta's guide lists. "Invalid Upload Batch for
 * Replace" is how integrators quote 1870147; the other titles and all details are the sandbox's words.
 */
export const replaceErrors = {
  updateInProgress: () =>
    failed(1870145, 'Audience Update In Progress', 'wait until the audience is back to Normal, then try again'),
  sessionTimedOut: () =>
    failed(1870158, 'Replace Session Timed Out', 'more than 90 minutes passed since the first batch of this session'),
  firstBatchMissing: () =>
    failed(
      1870147,
      'Invalid Upload Batch for Replace',
      'the first batch (batch_seq 1) of this session was not received',
    ),
  sessionFinished: () =>
    failed(1870159, 'Replace Session Finished', 'this session already received its last batch (last_batch_flag)'),
  tryAgain: () => failed(1870148, 'Something Went Wrong', 'please try again'),
  audienceTooLarge: () =>
    failed(1870144, 'Audience Too Large', 'audiences of 100 million people or more cannot be replaced'),
  // an emulator choice: Meta says a session's schema must stay the same, not how it answers otherwise
  schemaChanged: () => graphError(100, '(#100) The schema of a replace session must stay the same across its batches'),
  sessionMissing: () => graphError(100, '(#100) The parameter session is required'),
  sessionInvalid: (why: string) => graphError(100, `(#100) param session: ${why}`),
};
