import { describe, expect, it } from '@jest/globals';
import { normalizePhone } from './phone.js';

describe('phone numbers stored with their country code but without "+"', () => {
  it.each([
    // Meta's own example: 1(650)555-1212 → 16505551212
    ['1(650)555-1212', undefined, '16505551212'],
    ['16505551212', undefined, '16505551212'],
    ['16505551212', 'US', '16505551212'],
    // the user's country does not turn a number with its country code into a national one
    ['16505551212', 'FR', '16505551212'],
    ['447911123456', undefined, '447911123456'],
    ['447911123456', 'GB', '447911123456'],
    ['33 6 12 34 56 78', undefined, '33612345678'],
    ['84912345678', undefined, '84912345678'],
    // national numbers still take the user's country
    ['06 12 34 56 78', 'FR', '33612345678'],
    ['(650) 555-1212', 'US', '16505551212'],
    // Italy's leading 0 belongs to the number
    ['390612345678', undefined, '390612345678'],
    // no country can be read from these: still refused (6505551212 is not +65 0555 1212)
    ['6505551212', undefined, null],
    ['0612345678', undefined, null],
    ['5551212', undefined, null],
    ['1555', undefined, null],
    ['call 16505551212', undefined, null],
  ])('%s (country %s) → %s', (raw, country, expected) => {
    expect(normalizePhone(raw, country)).toBe(expected);
  });
});
