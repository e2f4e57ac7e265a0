import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { findTooDeep, jsonDepth } from './json-depth.js';

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('jsonDepth', () => {
  it.each([
    ['a number', '1', 0],
    ['an empty object', '{}', 1],
    ['an object in an array', '[{"a":1}]', 2],
    ['brackets inside strings', '{"a":"[[[{{{"}', 1],
    ['an escaped quote before brackets', '{"a":"\\"[[["}', 1],
    ['an escaped backslash ending a string', '{"a":"\\\\","b":[1]}', 2],
  ])('%s is %i deep', (_what, text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });

  it('measures 50,000 levels without recursion and stops counting past the limit', () => {
    expect(jsonDepth(nested(50_000))).toBe(50_000);
    expect(jsonDepth(nested(50_000), 64)).toBe(65);
  });

  it('refuses exactly what the walk over the parsed value finds too deep, for any JSON and limit', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 12 }), fc.integer({ min: 0, max: 13 }), (value, limit) => {
        const text = JSON.stringify(value);
        expect(jsonDepth(text) > limit).toBe(findTooDeep(JSON.parse(text), limit) !== undefined);
      }),
    );
  });
});
