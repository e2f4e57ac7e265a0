import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { normalizeCountry } from './country.js';
import { normalizeState } from './location.js';

describe('normalizeCountry', () => {
  it('reads alpha-2, alpha-3, English names and aliases', () => {
    expect(['US', 'usa', 'United States', ' u.s. ', 'de', 'DEU', 'Germany'].map(normalizeCountry)).toEqual([
      'us',
      'us',
      'us',
      'us',
      'de',
      'de',
      'de',
    ]);
    expect(normalizeCountry('Atlantis')).toBeNull();
    expect(normalizeCountry('   ')).toBeNull();
    // names of inherited properties are no country
    expect(['__proto__', 'constructor', 'toString'].map(normalizeCountry)).toEqual([null, null, null]);
  });

  it('answers a remembered value as it answered it the first time, past the memory bound', () => {
    const names = ['United States', 'Canada', 'xx', 'France', 'USA', 'Narnia'];
    const first = names.map(normalizeCountry);
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 80 }), { maxLength: 600 }), (values) => {
        for (const value of values) expect(normalizeCountry(value)).toBe(normalizeCountry(value));
        expect(names.map(normalizeCountry)).toEqual(first);
      }),
      { numRuns: 20 },
    );
  });
});

describe('normalizeState', () => {
  it('reads names of inherited properties as text, not as a state', () => {
    expect(['__proto__', 'constructor'].map((raw) => normalizeState(raw))).toEqual(['proto', 'constructor']);
    expect(normalizeState('California')).toBe('ca');
  });
});
