import type { EntryErrorCode } from './entry-errors.js';

/**
 * Whether a re-drive sends an Errored or Not synced user again, by the code of their last error:
 * `send` when sending the same row again can succeed once the cause is fixed (a reconnected
 * account, a granted permission, an outage over), `final` when it cannot. Errored users carry
 * only sendable codes except the two without a usable target; Not synced users carry only final
 * ones — a disconnected account never makes a user Not synced here: it holds them Pending
 * (decision 22). A new code does not compile until it is placed here.
 */
export const redriveOfCode = {
  META_THROTTLED: 'send',
  META_TRANSIENT: 'send',
  META_TOKEN_INVALID: 'send',
  META_TOS_NOT_ACCEPTED: 'send',
  META_PERMISSION: 'send',
  META_AUDIENCE_MISSING: 'send',
  META_AUDIENCE_FLAGGED: 'send',
  META_AUDIENCE_TOO_SMALL: 'send',
  META_INVALID_REQUEST: 'send',
  RETRY_WINDOW_OVER: 'send',
  CREDENTIAL_NOT_RESTORED: 'send',
  // sent through the workspace's current connection to the same Meta ad account, if it has one again
  AD_ACCOUNT_REMOVED: 'send',
  SYNC_FAILED: 'send',
  // Meta named this very row invalid: the same row would be refused again
  META_INVALID_ENTRY: 'final',
  AUDIENCE_UNRESOLVED: 'final',
  NO_MATCH_KEYS: 'final',
  CONSENT: 'final',
  NEVER_ADDED: 'final',
  // the user had no usable value for a value-based audience; a new trait value comes with a new entry
  NO_LOOKALIKE_VALUE: 'final',
} as const satisfies Record<EntryErrorCode, 'send' | 'final'>;

/** The codes a re-drive sends again. */
export const redrivableCodes = (Object.keys(redriveOfCode) as EntryErrorCode[]).filter(
  (code) => redriveOfCode[code] === 'send',
);

/**
 * Why a re-drive left an Errored or Not synced user where they are: their reason is final, a
 * later entry of theirs to the same Meta audience came since (sending this one would undo it),
 * they were erased, they opted out of ads since (adds only), the workspace no longer connects
 * the Meta ad account, or an erasure was changing their entry at that moment.
 */
export const redriveSkips = ['final', 'superseded', 'erased', 'opted_out', 'no_connection', 'busy'] as const;
export type RedriveSkip = (typeof redriveSkips)[number];

/** What the reconciliation watch compares for a Facebook step. */
export const driftKinds = ['counters', 'removals', 'audience_size'] as const;
export type DriftKind = (typeof driftKinds)[number];
