/**
 * Why a user's audience entry is Not synced or Errored: the `code` of its last error. The README's
 * "Entry error codes" table lists exactly these (a test checks it).
 */
export const entryErrors = {
  META_THROTTLED: 'Meta throttled the account; the sync waits and tries again',
  META_TRANSIENT: 'Meta or the network failed for a while; the sync tries again',
  META_TOKEN_INVALID: "Meta refused the account's token; its users are held until a reconnect",
  META_TOS_NOT_ACCEPTED: 'the Custom Audience terms are not accepted; its users are held until they are',
  META_PERMISSION: 'the token may not write to the audience',
  META_AUDIENCE_MISSING: 'the audience was deleted at Meta',
  META_AUDIENCE_FLAGGED: 'Meta flagged the audience and refuses membership edits until the advertiser resolves it',
  META_AUDIENCE_TOO_SMALL: 'Meta refused the audience as too small',
  META_INVALID_REQUEST: 'Meta refused the request',
  META_INVALID_ENTRY: "Meta accepted the request but named the user's row invalid",
  RETRY_WINDOW_OVER: 'not delivered before the retry window closed',
  CREDENTIAL_NOT_RESTORED: 'the account stayed disconnected (or its terms unaccepted) past the hold limit',
  AD_ACCOUNT_REMOVED: 'the ad account was disconnected from the workspace',
  AUDIENCE_UNRESOLVED: 'the canvas version has no audience for the step',
  NO_MATCH_KEYS: "no usable value for any of the step's match keys",
  NO_LOOKALIKE_VALUE: "no usable value (a number ≥ 0) in the trait a value-based audience's LOOKALIKE_VALUE comes from",
  CONSENT: 'the user opted out of ads or data sharing; nothing was sent',
  NEVER_ADDED: 'a removal of a user whose add never reached Meta: there is nothing to remove',
  SYNC_FAILED: 'an unexpected error in the sync; it tries again',
} as const;

export type EntryErrorCode = keyof typeof entryErrors;
export const entryErrorCodes = Object.keys(entryErrors) as EntryErrorCode[];
