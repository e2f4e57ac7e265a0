import { describe, expect, it } from '@jest/globals';
import { sha256Hex } from '@canvas/meta-graph';
import { normalizeLine } from './normalize.command.js';

describe('normalizeLine', () => {
  it('writes the normalized value and what would be sent', () => {
    expect(normalizeLine('{"key":"PHONE","raw":"(+84) 091-2345678"}', 2026)).toEqual({
      key: 'PHONE',
      raw: '(+84) 091-2345678',
      normalized: '84912345678',
      value: sha256Hex('84912345678'),
    });
    expect(normalizeLine('{"key":"phone","raw":"06 12 34 56 78","country":"FR"}', 2026)).toMatchObject({
      key: 'PHONE',
      normalized: '33612345678',
    });
    expect(normalizeLine('{"key":"MADID","raw":"AB-CD"}', 2026)).toEqual({
      key: 'MADID',
      raw: 'AB-CD',
      normalized: 'ab-cd',
      value: 'ab-cd',
    });
  });

  it('answers null for unusable values and says why for bad lines', () => {
    expect(normalizeLine('{"key":"EMAIL","raw":"nope"}', 2026)).toEqual({
      key: 'EMAIL',
      raw: 'nope',
      normalized: null,
      value: null,
    });
    expect(normalizeLine('{"key":"SSN","raw":"1"}', 2026)).toMatchObject({
      normalized: null,
      value: null,
      error: 'unknown key',
    });
    expect(normalizeLine('not json', 2026)).toMatchObject({ value: null, error: 'line is not JSON' });
  });
});
