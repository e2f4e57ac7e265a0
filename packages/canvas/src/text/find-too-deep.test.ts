import { describe, expect, it } from '@jest/globals';
import { findTooDeep } from './json-depth.js';

const nest = (levels: number, leaf: unknown = 1): unknown => {
  let value = leaf;
  for (let i = 0; i < levels; i += 1) value = i % 2 ? [value] : { 'a/b': value };
  return value;
};

describe('findTooDeep', () => {
  it.each([
    ['a scalar', 1, 3, undefined],
    ['a flat object', { a: 1, b: [1, 2] }, 3, undefined],
    ['exactly the limit', nest(3), 3, undefined],
    ['one level more', nest(4), 3, '/body/0/a~1b/0'],
    ['a deep value beside shallow ones', { ok: 1, deep: [[[[1]]]] }, 3, '/body/deep/0/0'],
  ])('%s', (_name, value, limit, pointer) => {
    expect(findTooDeep(value, limit, '/body')).toBe(pointer);
  });

  it('walks 100,000 levels without a stack overflow', () => {
    expect(findTooDeep(nest(100_000), 64)).toMatch(/^(\/(a~1b|0)){64}$/);
  });
});
