import { randomBytes } from 'node:crypto';

/** A Graph API error answer: HTTP status and Meta's envelope. */
export interface GraphFailure {
  status: number;
  body: { error: Record<string, unknown> };
  headers?: Record<string, string>;
}

export const fbtraceId = () => `A${randomBytes(8).toString('base64url')}`;

export function graphError(
  code: number,
  message: string,
  options: {
    subcode?: number;
    type?: string;
    isTransient?: boolean;
    status?: number;
    userTitle?: string;
    userMsg?: string;
  } = {},
): GraphFailure {
  return {
    status: options.status ?? 400,
    body: {
      error: {
        message,
        type: options.type ?? 'OAuthException',
        code,
        ...(options.subcode === undefined ? {} : { error_subcode: options.subcode }),
        ...(options.isTransient === undefined ? {} : { is_transient: options.isTransient }),
        ...(options.userTitle ? { error_user_title: options.userTitle } : {}),
        ...(options.userMsg ? { error_user_msg: options.userMsg } : {}),
        fbtrace_id: fbtraceId(),
      },
    },
  };
}

/** The errors this emulator answers with, worded as Meta words them. */
export const errors = {
  tokenMissing: () => graphError(104, 'An access token is required to request this resource.'),
  tokenUnknown: () => graphError(190, 'Invalid OAuth access token - Cannot parse access token'),
  tokenExpired: (at: Date) =>
    graphError(190, `Error validating access token: Session has expired on ${at.toUTCString()}.`, { subcode: 463 }),
  tokenRevoked: () =>
    graphError(190, 'Error validating access token: The user has not authorized application.', { subcode: 458 }),
  deprecatedVersion: (latest: string) =>
    graphError(
      2635,
      `(#2635) You are calling a deprecated version of the Ads API. Please update to the latest version: ${latest}.`,
    ),
  unknownPath: () => graphError(2500, 'Unknown path components', { type: 'OAuthException' }),
  objectMissing: (id: string, method: string) =>
    graphError(
      100,
      `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, ` +
        'cannot be loaded due to missing permissions, or does not support this operation.',
      { subcode: 33, type: 'GraphMethodException' },
    ),
  tosNotAccepted: () =>
    graphError(
      200,
      '(#200) Custom Audience Terms Not Accepted: You need to accept the Custom ' +
        'Audience Terms before you can create or edit an audience.',
      {
        subcode: 1870034,
        userTitle: 'Custom Audience Terms Not Accepted',
        userMsg: 'Accept the Custom Audience Terms in Business Manager.',
      },
    ),
  invalidParameter: (message: string) => graphError(100, `(#100) ${message}`),
  schemaMismatch: () => graphError(100, '(#100) Data is missing or does not match schema'),
  tooManyRows: () => graphError(1, 'An unknown error occurred', { subcode: 99 }),
  audienceLimit: () =>
    graphError(
      2654,
      '(#2654) Failed to create custom audience: You have reached the maximum number ' +
        'of customer file custom audiences (500) for this ad account.',
    ),
  // as RudderStack's recorded answers give it, for adds and removals alike
  lookalikeValueMissing: () =>
    graphError(100, '(#100) Value-Based Custom Audience requires LOOKALIKE_VALUE attribute.'),
  // Meta's words, as the Python SDK's documentation examples quote them
  lookalikeSourceTooSmall: () =>
    graphError(
      2654,
      "(#2654) Source Audience is Too Small: There aren't enough people in your source in the country you " +
        'chose. Please choose a country that includes at least 100 people in your source.',
    ),
  // code, subcode and words as integrators report them (facebook-php-business-sdk issues 181 and 477)
  duplicateLookalike: () =>
    graphError(
      2654,
      "(#2654) Can't Create a Duplicate Lookalike: You've already created a lookalike audience with the same " +
        'source, country and size. Please try using a different source or different specifications.',
      { subcode: 1713007 },
    ),
  // the code Meta documents; the wording is an emulator choice
  lookalikeLimit: () =>
    graphError(
      2654,
      '(#2654) Failed to create custom audience: You have reached the maximum number of lookalike ' +
        'audiences (500) for this ad account.',
    ),
  audienceHasLookalikes: () =>
    graphError(2656, '(#2656) This audience cannot be deleted because lookalike audiences are based on it.'),
  // code and subcode as integrators report them; the wording is an emulator choice
  audienceFlagged: () =>
    graphError(100, '(#100) This custom audience has been flagged and its members cannot be changed.', {
      subcode: 1713230,
      type: 'OAuthException',
    }),
  audienceTooSmall: () =>
    graphError(
      200,
      '(#200) Audience Size too Low: You cannot remove users from this audience ' +
        'because it will result in a low audience size.',
      { subcode: 1870047 },
    ),
  quotaExhausted: () =>
    graphError(
      80003,
      '(#80003) There have been too many calls to this ad-account. Wait a bit and try ' +
        'again. For more info, please refer to ' +
        'https://developers.facebook.com/docs/graph-api/overview/rate-limiting#custom-audience.',
      { subcode: 2446079 },
    ),
};
