import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { journeyKey, keyParts, messageKey, userKey } from './keys.js';

// what stored text may hold: anything but NUL
const storable = fc.string({ unit: 'binary' }).map((s) => s.replaceAll('\u0000', ''));

describe('keys', () => {
  it('keeps ids that contain a former separator apart', () => {
    expect(messageKey('w', 'a|b', 'c')).not.toBe(messageKey('w', 'a', 'b|c'));
    expect(userKey('w', 'a|b')).not.toBe(userKey('w|a', 'b'));
  });

  it('never gives two different tuples of storable text the same key', () => {
    fc.assert(
      fc.property(fc.tuple(storable, storable, storable), fc.tuple(storable, storable, storable), (a, b) => {
        const same = a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
        expect(messageKey(...a) === messageKey(...b)).toBe(same);
        expect(journeyKey(...a) === journeyKey(...b)).toBe(same);
      }),
    );
  });

  it('gives back the parts it was made of', () => {
    fc.assert(
      fc.property(storable, storable, storable, (w, u, m) => {
        expect(keyParts(messageKey(w, u, m))).toEqual([w, u, m]);
      }),
    );
  });
});
