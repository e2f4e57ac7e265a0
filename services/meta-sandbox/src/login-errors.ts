import { graphError } from './graph-errors.js';

/**
 * The code exchange's refusals. Meta documents the flow, not these answers; the wording and
 * subcodes follow what integrators report and are an emulator choice.
 */
export const loginErrors = {
  badApp: () => graphError(101, 'Error validating application. Invalid application ID.'),
  badSecret: () => graphError(1, 'Error validating client secret.'),
  badCode: () => graphError(100, 'Invalid verification code format.'),
  codeUsed: () => graphError(100, 'This authorization code has been used.', { subcode: 36009 }),
  codeExpired: () => graphError(100, 'This authorization code has expired.', { subcode: 36007 }),
  redirectMismatch: () =>
    graphError(
      100,
      'Error validating verification code. Please make sure your redirect_uri is ' +
        'identical to the one you used in the OAuth dialog request',
      { subcode: 36008 },
    ),
  notExchangeable: () =>
    graphError(190, 'Error validating access token: the token cannot be exchanged.', { subcode: 463 }),
};
