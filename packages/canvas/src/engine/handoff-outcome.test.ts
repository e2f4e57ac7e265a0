import { describe, expect, it } from '@jest/globals';
import { handoffOutcome, type HandoffFacts } from './handoff-outcome.js';

const facts = (over: Partial<HandoffFacts>): HandoffFacts => ({
  audienceResolved: true,
  usable: true,
  action: 'add',
  optedOut: false,
  matchKeys: ['EMAIL', 'PHONE'],
  ...over,
});

describe('handoffOutcome', () => {
  it.each([
    ['a user with a usable key', {}, 'pending', undefined, true],
    ['a version without an audience', { audienceResolved: false }, 'errored', 'AUDIENCE_UNRESOLVED', true],
    ['an opted-out user added', { optedOut: true }, 'not_synced', 'CONSENT', false],
    ['an opted-out user removed', { optedOut: true, action: 'remove' as const }, 'pending', undefined, true],
    ['a user without a usable key', { usable: false }, 'not_synced', 'NO_MATCH_KEYS', true],
    [
      'an unresolved audience wins over consent',
      { audienceResolved: false, optedOut: true },
      'errored',
      'AUDIENCE_UNRESOLVED',
      true,
    ],
    ['consent wins over missing keys', { optedOut: true, usable: false }, 'not_synced', 'CONSENT', false],
    [
      'a user without a value added to a value-based audience',
      { value: { trait: 'ltv', usable: false } },
      'not_synced',
      'NO_LOOKALIKE_VALUE',
      true,
    ],
    ['a user with a value', { value: { trait: 'ltv', usable: true } }, 'pending', undefined, true],
    [
      'a user without a value removed from a value-based audience',
      { value: { trait: 'ltv', usable: false }, action: 'remove' as const },
      'pending',
      undefined,
      true,
    ],
    [
      'missing keys win over a missing value',
      { usable: false, value: { trait: 'ltv', usable: false } },
      'not_synced',
      'NO_MATCH_KEYS',
      true,
    ],
  ])('%s', (_what, over, status, code, keepValues) => {
    const outcome = handoffOutcome(facts(over));
    expect(outcome.status).toBe(status);
    expect(outcome.reason?.code).toBe(code);
    expect(outcome.keepValues).toBe(keepValues);
  });

  it('names the step’s match keys when none is usable', () => {
    expect(handoffOutcome(facts({ usable: false })).reason?.message).toBe(
      'no usable value for any identifier among EMAIL, PHONE',
    );
  });
});
