import { describe, expect, it } from '@jest/globals';
import { followingChanges } from './following.js';

describe('followingChanges', () => {
  it.each([
    ['a new member enters', ['u'], ['u'], [], { entering: ['u'], leaving: [] }],
    ['a member already in the audience stays', ['u'], ['u'], ['u'], { entering: [], leaving: [] }],
    ['a user in the audience who stopped qualifying leaves', ['u'], [], ['u'], { entering: [], leaving: ['u'] }],
    ['a non-member outside the audience is left alone', ['u'], [], [], { entering: [], leaving: [] }],
    [
      'a slice keeps the candidates’ order',
      ['a', 'b', 'c', 'd'],
      ['a', 'c'],
      ['b', 'c'],
      { entering: ['a'], leaving: ['b'] },
    ],
  ])('%s', (_what, candidates, members, inAudience, expected) => {
    expect(followingChanges(candidates, new Set(members), new Set(inAudience))).toEqual(expected);
  });
});
