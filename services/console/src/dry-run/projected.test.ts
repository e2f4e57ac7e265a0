import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { projectedNumbers, quotaTime } from './projected.js';
import type { DryRun, DryRunStep } from './types.js';

const count = fc.nat({ max: 1_000_000 });
const step: fc.Arbitrary<DryRunStep> = fc.record({
  stepId: fc.string({ minLength: 1, maxLength: 12 }),
  kind: fc.constantFrom('delay', 'facebook_audience'),
  name: fc.option(fc.string(), { nil: null }),
  entered: count,
  proceeded: count,
  exited: count,
  converted: count,
  waiting: count,
  branches: fc.constant(null),
  facebook: fc.option(
    fc.record({
      adAccountId: fc.option(fc.constant('act_1'), { nil: null }),
      action: fc.constantFrom('add' as const, 'remove' as const),
      matchKeys: fc.constant(['EMAIL']),
      synced: count,
      notSynced: fc.record({ total: count, noMatchKeys: count, consent: count }),
      requests: count,
      quotaHours: fc.option(fc.double({ min: 0, max: 1000, noNaN: true }), { nil: null }),
    }),
    { nil: null },
  ),
  sampleUserIds: fc.array(fc.string(), { maxLength: 10 }),
});

const runOf = (steps: DryRunStep[]): DryRun => ({
  id: 'r',
  canvasId: 'c',
  version: 1,
  window: { from: '2026-12-01T00:00:00Z', to: '2026-12-08T00:00:00Z' },
  status: 'done',
  progress: { fraction: 1, users: 1, totalUsers: 1, pass: 1, passes: 1 },
  failure: null,
  result: {
    totals: { entered: 0, converted: 0, exited: 0, waiting: 0, capped: 0 },
    steps,
    accounts: [],
    users: { scanned: 0, replayed: 0, entered: 0 },
    events: 0,
    notes: [],
  },
});

describe("a dry run's numbers on the graph", () => {
  it('keeps every step and its numbers; nothing pends or errs in a projection', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 20 }), (steps) => {
        const numbers = projectedNumbers(runOf(steps));
        expect(numbers.map((n) => [n.stepId, n.entered, n.proceeded, n.exited])).toEqual(
          steps.map((s) => [s.stepId, s.entered, s.proceeded, s.exited]),
        );
        numbers.forEach((n, i) => {
          const facebook = steps[i]?.facebook;
          expect(n.facebook).toEqual(
            facebook ? { synced: facebook.synced, notSynced: facebook.notSynced.total, pending: 0, errored: 0 } : null,
          );
        });
      }),
    );
  });

  it('says quota time in minutes or hours', () => {
    expect([null, 0.001, 0.5, 3].map(quotaTime)).toEqual([
      'no ad account connected',
      'under a minute',
      '30 min',
      '3.0 h',
    ]);
  });
});
