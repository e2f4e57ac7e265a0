import { describe, expect, it } from '@jest/globals';
import type { SegmentCondition } from '@canvas/canvas';
import { segmentOverBudget } from './segment-budget.js';

const profile = (value: unknown = 'x'): SegmentCondition =>
  ({ profile: { field: 'city', op: Array.isArray(value) ? 'in' : 'eq', value } }) as SegmentCondition;
const behaviour = (where: number): SegmentCondition => ({
  behaviour: {
    did: true,
    event: 'e',
    where: Array.from({ length: where }, () => ({ property: 'p', op: 'eq' as const, value: 1 })),
    window: { ever: true },
  },
});
const budget = { conditions: 3, values: 4 };

describe('segmentOverBudget', () => {
  it.each<[string, SegmentCondition, string | undefined]>([
    ['within budget', { all: [profile(), profile(['a', 'b', 'c', 'd'])] }, undefined],
    [
      'one condition too many',
      { any: [profile(), { all: [profile(), profile(), profile()] }] },
      '/c/any/1/all/2/profile',
    ],
    ['property tests in a behaviour count', { all: [behaviour(3)] }, '/c/all/0/behaviour/where/2'],
    ['values across conditions add up', { all: [profile(['a', 'b']), profile(['c', 'd', 'e'])] }, '/c/all/1/profile'],
  ])('%s', (_name, conditions, path) => {
    expect(segmentOverBudget(conditions, budget, '/c')?.path).toBe(path);
  });
});
