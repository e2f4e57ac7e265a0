import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { wireRow } from './limited-data-use.js';
import { lookalikeValue, withLookalikeValue } from './lookalike-value.js';
import { lookalikeSpecBody, readLookalikeSpec } from './lookalikes.js';

describe("a value-based audience's LOOKALIKE_VALUE", () => {
  it.each([
    [44.5, '44.5'],
    [140, '140'],
    [0, '0'],
    [-0, '0'],
    [0.9, '0.9'],
    ['12.50', '12.5'],
    [' 7 ', '7'],
    ['+3', '3'],
    ['.5', '0.5'],
    ['1e3', '1000'],
    [1e21, '1e+21'],
  ])('%p is sent as %p', (raw, value) => {
    expect(lookalikeValue(raw)).toBe(value);
  });

  it.each([
    -1,
    '-1',
    '-0',
    '',
    '  ',
    'abc',
    '1,000',
    '12 EUR',
    '0x10',
    'NaN',
    'Infinity',
    '1e400',
    Number.NaN,
    Number.POSITIVE_INFINITY,
    true,
    null,
    undefined,
    {},
    [3],
  ])('%p is no usable value', (raw) => {
    expect(lookalikeValue(raw)).toBeNull();
  });

  it('keeps every finite number ≥ 0 exactly, in a spelling it reads back the same', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }), (n) => {
        const value = lookalikeValue(n);
        expect(value).not.toBeNull();
        expect(Number(value)).toBe(n === 0 ? 0 : n);
        expect(lookalikeValue(value)).toBe(value);
      }),
    );
  });

  it('answers, for any text or number, nothing or a finite number ≥ 0 that reads back the same', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double(), fc.integer().map(String), fc.double().map(String)), (raw) => {
        const value = lookalikeValue(raw);
        if (value === null) return;
        expect(Number.isFinite(Number(value)) && Number(value) >= 0).toBe(true);
        expect(lookalikeValue(value)).toBe(value);
      }),
    );
    fc.assert(
      fc.property(fc.double({ max: -Number.MIN_VALUE, noNaN: true }), (n) => {
        expect(lookalikeValue(n)).toBeNull();
      }),
    );
  });

  it('rides as the last column and goes to Meta as a number (0 for a removal without one)', () => {
    const row = withLookalikeValue({ schema: ['EMAIL'], values: ['h'] }, '12.5');
    expect(row).toEqual({ schema: ['EMAIL', 'LOOKALIKE_VALUE'], values: ['h', '12.5'] });
    expect(wireRow(row.schema, row.values)).toEqual(['h', 12.5]);
    expect(wireRow(row.schema, ['h', ''])).toEqual(['h', 0]);
  });
});

describe("a lookalike's spec", () => {
  it('names one country in country, several in location_spec', () => {
    expect(lookalikeSpecBody({ countries: ['US'], ratio: 0.01 })).toEqual({
      type: 'custom_ratio',
      ratio: 0.01,
      country: 'US',
    });
    expect(lookalikeSpecBody({ countries: ['CA', 'US'], ratio: 0.05 })).toEqual({
      type: 'custom_ratio',
      ratio: 0.05,
      location_spec: { geo_locations: { countries: ['CA', 'US'] } },
    });
  });

  it('reads what Meta says a lookalike is made of', () => {
    expect(
      readLookalikeSpec({ country: 'US', ratio: 0.01, origin: [{ id: '238', name: 'Seed', type: 'custom_audience' }] }),
    ).toEqual({ originIds: ['238'], countries: ['US'], ratio: 0.01 });
    expect(readLookalikeSpec({ target_countries: ['us', 'CA'], country: 'US,CA' })).toEqual({
      originIds: [],
      countries: ['CA', 'US'],
    });
    expect(readLookalikeSpec('nonsense')).toBeUndefined();
  });
});
