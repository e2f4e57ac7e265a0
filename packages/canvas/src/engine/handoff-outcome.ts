import type { EntryErrorCode } from '../model/entry-errors.js';
import type { MatchKey } from '../model/match-keys.js';
import type { AudienceStatus } from './counters.js';

export interface HandoffFacts {
  /** Launch resolved the step's audience for this canvas version. */
  audienceResolved: boolean;
  /** At least one match key has a usable value. */
  usable: boolean;
  action: 'add' | 'remove';
  /** The user opted out of ads or data sharing. */
  optedOut: boolean;
  matchKeys: readonly MatchKey[];
  /** For a value-based audience: the trait its LOOKALIKE_VALUE comes from, and whether the user has a usable value. */
  value?: { trait: string; usable: boolean } | undefined;
}

export interface HandoffOutcome {
  status: Exclude<AudienceStatus, 'synced'>;
  /** Why it is not Pending; nothing for a Pending entry. */
  reason?: { code: EntryErrorCode; message: string };
  /** Whether the hashed values are kept for Meta: never for an add refused by consent. */
  keepValues: boolean;
}

/**
 * What becomes of a user handed to a Facebook step: Errored when the version has no audience,
 * Not synced when they opted out (adds only), have no usable identifier or, added to a value-based
 * audience, no usable value; Pending otherwise.
 */
export function handoffOutcome(facts: HandoffFacts): HandoffOutcome {
  if (!facts.audienceResolved)
    return {
      status: 'errored',
      reason: { code: 'AUDIENCE_UNRESOLVED', message: 'the canvas version has no audience for this step' },
      keepValues: true,
    };
  if (facts.action === 'add' && facts.optedOut)
    return {
      status: 'not_synced',
      reason: { code: 'CONSENT', message: 'the user opted out of ads and data sharing; nothing was sent to Meta' },
      keepValues: false,
    };
  if (!facts.usable)
    return {
      status: 'not_synced',
      reason: {
        code: 'NO_MATCH_KEYS',
        message: `no usable value for any identifier among ${facts.matchKeys.join(', ')}`,
      },
      keepValues: true,
    };
  // Meta refuses a value-based row without LOOKALIKE_VALUE; removals send 0 instead (decision 35)
  if (facts.action === 'add' && facts.value && !facts.value.usable)
    return {
      status: 'not_synced',
      reason: {
        code: 'NO_LOOKALIKE_VALUE',
        message: `no usable value in trait ${facts.value.trait} for the value-based audience (a number ≥ 0)`,
      },
      keepValues: true,
    };
  return { status: 'pending', keepValues: true };
}
