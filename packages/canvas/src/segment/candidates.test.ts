import { describe, expect, it } from '@jest/globals';
import { candidateFilter, historyNeeded } from './candidates.js';
import { SegmentCondition } from './segment.schema.js';

const now = new Date('2026-03-31T12:00:00Z');
const did = (event: string, extra: object = {}) => ({
  behaviour: { did: true, event, window: { lastDays: 30 }, ...extra },
});
const didNot = (event: string, extra: object = {}) => ({
  behaviour: { did: false, event, window: { lastDays: 30 }, ...extra },
});
const parse = (c: unknown) => SegmentCondition.parse(c);
const cart = { event: 'added_to_cart', atLeast: 1, fromDay: '2026-03-01', toDay: '2026-03-31' };
// 30 days before 2026-03-31T12:00Z starts mid-day on 1 March: whole days are 2 … 30 March
const neverBought = { never: 'purchased', fromDay: '2026-03-02', toDay: '2026-03-30' };

describe('the candidate filter (a necessary condition answered by the daily rollup)', () => {
  it.each<[string, unknown, unknown]>([
    ['did E within 30 days: E on one of those UTC days', did('added_to_cart'), cart],
    [
      'did E ≥ 2 times: at least 2 on those days',
      did('added_to_cart', { count: { op: 'gte', value: 2 } }),
      { ...cart, atLeast: 2 },
    ],
    [
      'did E exactly 3 times: at least 3',
      did('added_to_cart', { count: { op: 'eq', value: 3 } }),
      { ...cart, atLeast: 3 },
    ],
    ['did E ≤ 3 times includes never: no narrowing', did('added_to_cart', { count: { op: 'lte', value: 3 } }), null],
    ['did E = 0 times: no narrowing', did('added_to_cart', { count: { op: 'eq', value: 0 } }), null],
    ['did not E: never on a day wholly inside the window', didNot('purchased'), neverBought],
    [
      'did not E ever: never at all',
      didNot('purchased', { window: { ever: true } }),
      { never: 'purchased', fromDay: null, toDay: null },
    ],
    ['did not E ≥ 2 times: no narrowing', didNot('purchased', { count: { op: 'gte', value: 2 } }), null],
    ['did not (E ≤ 1 times) needs E', didNot('added_to_cart', { count: { op: 'lte', value: 1 } }), cart],
    ['a profile condition: no narrowing', { profile: { field: 'country', op: 'eq', value: 'US' } }, null],
    ['all: every narrowing part', { all: [did('added_to_cart'), didNot('purchased')] }, { all: [cart, neverBought] }],
    [
      'any with one unnarrowed part: no narrowing',
      { any: [did('added_to_cart'), { profile: { field: 'age', op: 'gte', value: 1 } }] },
      null,
    ],
    [
      'any of narrowed parts: either',
      { any: [did('added_to_cart'), did('viewed', { window: { ever: true } })] },
      { any: [cart, { event: 'viewed', atLeast: 1, fromDay: null, toDay: null }] },
    ],
    [
      'between two dates',
      {
        behaviour: { did: true, event: 'x', window: { from: '2026-01-01T23:00:00-02:00', to: '2026-01-05T00:00:00Z' } },
      },
      { event: 'x', atLeast: 1, fromDay: '2026-01-02', toDay: '2026-01-05' },
    ],
  ])('%s', (_name, condition, expected) => {
    expect(candidateFilter(parse(condition), now)).toEqual(expected);
  });

  it('loads the events the segment names since its earliest window start', () => {
    const needs = historyNeeded(
      parse({ all: [did('added_to_cart'), { any: [didNot('purchased', { window: { lastDays: 60 } })] }] }),
      now,
    );
    expect(needs.events.sort()).toEqual(['added_to_cart', 'purchased']);
    expect(needs.since?.toISOString()).toBe('2026-01-30T12:00:00.000Z');
    expect(historyNeeded(parse(did('x', { window: { ever: true } })), now).since).toBeNull();
  });
});
