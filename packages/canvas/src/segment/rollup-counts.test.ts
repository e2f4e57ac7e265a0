import { describe, expect, it } from '@jest/globals';
import { segmentMatches } from './evaluate.js';
import { rollupCountable } from './rollup-counts.js';
import { SegmentCondition } from './segment.schema.js';

const now = new Date('2026-03-31T12:00:00Z');
const parse = (c: unknown) => SegmentCondition.parse(c);
const did = (event: string, extra: object = {}) => ({
  behaviour: { did: true, event, window: { lastDays: 30 }, ...extra },
});

describe('behaviour the daily rollup can count', () => {
  it('lists every behaviour condition with its window, in order, when none filters on properties', () => {
    const segment = parse({
      all: [did('added_to_cart'), { any: [did('purchased', { window: { ever: true } })] }, { profile: planPro }],
    });
    expect(rollupCountable(segment, now)?.map(({ event, from, to }) => ({ event, from, to }))).toEqual([
      { event: 'added_to_cart', from: Date.parse('2026-03-01T12:00:00Z'), to: now.getTime() },
      { event: 'purchased', from: null, to: null },
    ]);
  });

  it('is null when a condition filters on event properties, or when there is nothing to count', () => {
    const filtered = did('purchased', { where: [{ property: 'total', op: 'gt', value: 10 }] });
    expect(rollupCountable(parse({ all: [did('added_to_cart'), filtered] }), now)).toBeNull();
    expect(rollupCountable(parse({ profile: planPro }), now)).toBeNull();
  });

  it('lets the evaluator read the counts instead of the history', () => {
    const segment = parse({ all: [did('added_to_cart', { count: { op: 'gte', value: 2 } })] });
    const [cart] = rollupCountable(segment, now)!;
    const member = (n: number) => ({
      profile: { userId: 'u', traits: {}, context: {}, firstSeenAt: now },
      history: [],
      counts: new Map([[cart!.condition, n]]),
    });
    expect([1, 2].map((n) => segmentMatches(segment, member(n), now))).toEqual([false, true]);
  });
});

const planPro = { field: 'traits.plan', op: 'eq', value: 'pro' };
