import { describe, expect, it } from '@jest/globals';
import { findUnstorableText } from './storable-text.js';

const deep = (depth: number, leaf: unknown) => {
  let value = leaf;
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
};

describe('findUnstorableText', () => {
  it('names the first string at fault in document order, keys included', () => {
    expect(findUnstorableText({ a: 'fine', b: ['x', 'bad\u0000'], c: '\ud800' })).toEqual({
      kind: 'nul_character',
      pointer: '/b/1',
    });
    expect(findUnstorableText({ ok: 1, ['k\ud800']: 'v', later: '\u0000' })).toEqual({
      kind: 'unpaired_surrogate',
      pointer: '/k\ud800',
    });
  });

  it('escapes pointer parts and prefixes the given pointer', () => {
    expect(findUnstorableText({ 'a/b': { '~c': '\u0000' } }, '/body')).toEqual({
      kind: 'nul_character',
      pointer: '/body/a~1b/~0c',
    });
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    expect(findUnstorableText(deep(100_000, 'fine'))).toBeUndefined();
    const found = findUnstorableText(deep(100_000, '\u0000'));
    expect(found?.kind).toBe('nul_character');
    expect(found?.pointer.length).toBe(100_000 * 2);
  });
});
