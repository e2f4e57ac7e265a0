import { describe, expect, it } from '@jest/globals';
import { invalidRows } from './invalid-samples.js';

const hash = (c: string) => c.repeat(64);
const rows = [
  [hash('a'), 'ext-1'],
  [hash('b'), 'ext-2'],
  [hash('c'), 'ext-3'],
];

describe('rows named by invalid_entry_samples', () => {
  it('reads a map of row → reason, whole or cut short', () => {
    expect(
      invalidRows(
        { [`${hash('b')},ext-2`]: 'EMAIL is not a lowercase SHA-256 hex digest', [hash('c').slice(0, 40)]: 'x' },
        rows,
      ),
    ).toEqual([
      { index: 1, reason: 'EMAIL is not a lowercase SHA-256 hex digest' },
      { index: 2, reason: 'x' },
    ]);
  });

  it('reads an array of rows, without reasons', () => {
    expect(invalidRows([`${hash('a')},ext-1`], rows)).toEqual([{ index: 0, reason: null }]);
  });

  it('names nothing from an empty, unknown or too short sample', () => {
    expect(invalidRows({}, rows)).toEqual([]);
    expect(invalidRows([], rows)).toEqual([]);
    expect(invalidRows('Array()', rows)).toEqual([]);
    expect(invalidRows(null, rows)).toEqual([]);
    expect(invalidRows({ aaaa: 'too short to name a row' }, rows)).toEqual([]);
    expect(invalidRows({ [hash('z')]: 'no such row' }, rows)).toEqual([]);
  });
});
