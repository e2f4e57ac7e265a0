import { describe, expect, it } from '@jest/globals';
import type { StepVersionTotals } from '@canvas/db';
import { counterDrifts, expectedMembers, judgeAudienceSize } from './drift.js';

const step = (totals: StepVersionTotals['totals'], overrides: Partial<StepVersionTotals> = {}): StepVersionTotals => ({
  canvasId: 'c1',
  workspaceId: 'w1',
  canvasStatus: 'running',
  version: 1,
  stepId: 'fb',
  audienceId: 'a1',
  adAccountId: 'x1',
  created: true,
  totals,
  ...overrides,
});

describe('counterDrifts', () => {
  it('finds nothing when every version adds up', () => {
    expect(
      counterDrifts(
        [
          step({ entered: 10, synced: 6, not_synced: 1, pending: 2, errored: 1, removed: 3, removed_synced: 3 }),
          step({ entered: 4, pending: 4 }, { version: 2 }),
          step({}, { stepId: 'empty' }),
        ],
        '111',
      ),
    ).toEqual([]);
  });

  it('reports a step whose entered exceeds its statuses, with the size of the gap', () => {
    expect(counterDrifts([step({ entered: 10, synced: 3, pending: 2 })], '111')).toEqual([
      expect.objectContaining({
        canvasId: 'c1',
        stepId: 'fb',
        kind: 'counters',
        workspaceId: 'w1',
        metaAccountId: '111',
        expected: 10,
        actual: 5,
        gap: 5,
        detail: expect.objectContaining({ versions: [{ version: 1, expected: 10, actual: 5 }] }),
      }),
    ]);
  });

  it('does not let one version cover for another', () => {
    const found = counterDrifts(
      [step({ entered: 5, synced: 7 }), step({ entered: 5, synced: 3 }, { version: 2 })],
      '1',
    );
    expect(found).toEqual([expect.objectContaining({ kind: 'counters', expected: 10, actual: 10, gap: 4 })]);
  });

  it('checks removals apart from adds', () => {
    expect(counterDrifts([step({ removed: 4, removed_synced: 1, removed_pending: 1 })], '1')).toEqual([
      expect.objectContaining({ kind: 'removals', expected: 4, actual: 2, gap: 2 }),
    ]);
  });
});

describe('expectedMembers', () => {
  it('allows at most synced and pending adds less synced removals, at least synced adds less all removals', () => {
    const add = step({ synced: 100, pending: 7, removed_synced: 10, removed_pending: 2 });
    const remove = step({ synced: 30, pending: 5 }, { stepId: 'rm' });
    expect(expectedMembers([add, remove], (s) => (s.stepId === 'rm' ? 'remove' : 'add'))).toEqual({
      most: 67,
      least: 53,
    });
  });

  it('never expects fewer than none, and knows nothing when a step action is unknown', () => {
    expect(expectedMembers([step({ synced: 5 })], () => 'remove')).toEqual({ most: 0, least: 0 });
    expect(expectedMembers([step({ synced: 5 })], () => undefined)).toBeUndefined();
  });
});

describe('judgeAudienceSize', () => {
  const options = { created: true, minMatchRate: 0.5 };
  const same = (n: number) => ({ most: n, least: n });
  it.each([
    ['in line', { lowerBound: 90, upperBound: 100, expected: same(100), previous: same(100) }, undefined],
    [
      'more members than were ever sent',
      { lowerBound: 130, upperBound: 140, expected: same(100), previous: same(100) },
      { direction: 'over', actual: 130, expected: 100, gap: 30 },
    ],
    [
      'adds still pending may have reached Meta already',
      { lowerBound: 130, upperBound: 140, expected: { most: 135, least: 100 }, previous: same(100) },
      undefined,
    ],
    [
      'removals synced since the read before: Meta may not have applied them yet',
      { lowerBound: 130, upperBound: 140, expected: same(100), previous: same(150) },
      undefined,
    ],
    [
      'far fewer members than the match rate allows',
      { lowerBound: 10, upperBound: 20, expected: same(100), previous: same(100) },
      { direction: 'under', actual: 20, expected: 50, gap: 30 },
    ],
    [
      'adds synced since the read before: Meta may not have matched them yet',
      { lowerBound: 10, upperBound: 20, expected: same(1000), previous: same(30) },
      undefined,
    ],
    ['the first read', { lowerBound: 500, upperBound: 500, expected: same(100), previous: null }, undefined],
    [
      'no bounds from Meta',
      { lowerBound: null, upperBound: null, expected: same(100), previous: same(100) },
      undefined,
    ],
  ])('%s', (_, check, verdict) => {
    expect(judgeAudienceSize(check, options)).toEqual(verdict);
  });

  it('judges only shortfalls for an audience that existed before the canvas', () => {
    const check = { lowerBound: 500, upperBound: 600, expected: same(100), previous: same(100) };
    expect(judgeAudienceSize(check, { created: false, minMatchRate: 0.5 })).toBeUndefined();
  });

  it('judges no shortfall with a minimum match rate of 0', () => {
    const check = { lowerBound: 0, upperBound: 0, expected: same(100), previous: same(100) };
    expect(judgeAudienceSize(check, { created: true, minMatchRate: 0 })).toBeUndefined();
  });
});
