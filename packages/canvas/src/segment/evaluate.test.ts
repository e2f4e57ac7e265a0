import { describe, expect, it } from '@jest/globals';
import { profile } from '../fixtures.test-helpers.js';
import { segmentMatches, type HistoryItem, type SegmentMember } from './evaluate.js';
import { SegmentCondition, type SegmentCondition as Condition } from './segment.schema.js';
import { validateSegment } from './validate-segment.js';

const now = new Date('2026-11-22T12:00:00Z');
const daysAgo = (days: number, hours = 0) => new Date(now.getTime() - days * 86_400_000 - hours * 3_600_000);
const item = (event: string, at: Date, properties: Record<string, unknown> = {}): HistoryItem => ({
  event,
  at,
  properties,
});
const member = (
  traits: Record<string, unknown>,
  history: HistoryItem[] = [],
  advertisingId?: string,
): SegmentMember => ({
  profile: profile(traits, 'u1'),
  history,
  advertisingId,
});
const holds = (condition: unknown, who: SegmentMember) => segmentMatches(SegmentCondition.parse(condition), who, now);

const carts = [
  item('added_to_cart', daysAgo(1), { total: 40 }),
  item('added_to_cart', daysAgo(29, 23), { total: 10 }),
  item('added_to_cart', daysAgo(45)),
];

describe('behaviour conditions', () => {
  it.each<[string, unknown, HistoryItem[], boolean]>([
    [
      'did, at least once, in the last 30 days',
      { did: true, event: 'added_to_cart', window: { lastDays: 30 } },
      carts,
      true,
    ],
    [
      'did, ≥ 2 times in the last 30 days',
      { did: true, event: 'added_to_cart', count: { op: 'gte', value: 2 }, window: { lastDays: 30 } },
      carts,
      true,
    ],
    [
      'did, ≥ 3 times in the last 30 days (the third is 45 days old)',
      { did: true, event: 'added_to_cart', count: { op: 'gte', value: 3 }, window: { lastDays: 30 } },
      carts,
      false,
    ],
    [
      'did, = 3 times ever',
      { did: true, event: 'added_to_cart', count: { op: 'eq', value: 3 }, window: { ever: true } },
      carts,
      true,
    ],
    [
      'did, ≤ 1 time in the last 7 days',
      { did: true, event: 'added_to_cart', count: { op: 'lte', value: 1 }, window: { lastDays: 7 } },
      carts,
      true,
    ],
    [
      'did, = 0 times means never',
      { did: true, event: 'purchased', count: { op: 'eq', value: 0 }, window: { ever: true } },
      carts,
      true,
    ],
    ['did not purchase in the last 30 days', { did: false, event: 'purchased', window: { lastDays: 30 } }, carts, true],
    [
      'did not add to cart in the last 30 days',
      { did: false, event: 'added_to_cart', window: { lastDays: 30 } },
      carts,
      false,
    ],
    [
      'did, with a property condition',
      {
        did: true,
        event: 'added_to_cart',
        where: [{ property: 'total', op: 'gte', value: 20 }],
        count: { op: 'gte', value: 2 },
        window: { lastDays: 60 },
      },
      carts,
      false,
    ],
    // window edges: exactly 30 days ago is inside, a second more is outside
    [
      'an event exactly at the window start',
      { did: true, event: 'viewed', window: { lastDays: 30 } },
      [item('viewed', daysAgo(30))],
      true,
    ],
    [
      'an event one second before the window start',
      { did: true, event: 'viewed', window: { lastDays: 30 } },
      [item('viewed', new Date(daysAgo(30).getTime() - 1000))],
      false,
    ],
    // between two moments written in other time zones: 2026-11-01T00:00-05:00 is 05:00 UTC
    [
      'between dates with offsets, inside',
      { did: true, event: 'viewed', window: { from: '2026-11-01T00:00:00-05:00', to: '2026-11-02T00:00:00+09:00' } },
      [item('viewed', new Date('2026-11-01T05:00:00Z'))],
      true,
    ],
    [
      'between dates with offsets, just before',
      { did: true, event: 'viewed', window: { from: '2026-11-01T00:00:00-05:00', to: '2026-11-02T00:00:00+09:00' } },
      [item('viewed', new Date('2026-11-01T04:59:59Z'))],
      false,
    ],
    [
      'between dates with offsets, at the end',
      { did: true, event: 'viewed', window: { from: '2026-11-01T00:00:00-05:00', to: '2026-11-02T00:00:00+09:00' } },
      [item('viewed', new Date('2026-11-01T15:00:00Z'))],
      true,
    ],
    ['another event name never counts', { did: true, event: 'viewed', window: { ever: true } }, carts, false],
  ])('%s', (_name, behaviour, history, expected) => {
    expect(holds({ behaviour }, member({}, history))).toBe(expected);
  });
});

describe('profile and reachability conditions', () => {
  it.each<[string, unknown, Record<string, unknown>, boolean]>([
    [
      'country in normalised forms',
      { profile: { field: 'country', op: 'eq', value: 'US' } },
      { address: { country: 'United States' } },
      true,
    ],
    [
      'country USA is US',
      { profile: { field: 'country', op: 'eq', value: 'United States of America' } },
      { country: 'USA' },
      true,
    ],
    ['a custom trait', { profile: { field: 'traits.plan', op: 'eq', value: 'gold' } }, { plan: 'Gold' }, true],
    ['has e-mail', { reachability: { reachable: 'has_email' } }, { email: 'A@Example.com' }, true],
    ['has e-mail: not an address', { reachability: { reachable: 'has_email' } }, { email: 'nope' }, false],
    [
      'has phone, read with the country',
      { reachability: { reachable: 'has_phone' } },
      { phone: '06 12 34 56 78', country: 'France' },
      true,
    ],
    [
      'has a match key among e-mail and phone',
      { reachability: { reachable: 'has_match_key', matchKeys: ['EMAIL', 'PHONE'] } },
      { phone: '+1 650 555 1212' },
      true,
    ],
    ['has a match key: the user id is an external id', { reachability: { reachable: 'has_match_key' } }, {}, true],
    [
      'no e-mail or phone',
      { reachability: { reachable: 'has_match_key', matchKeys: ['EMAIL', 'PHONE'] } },
      { firstName: 'Ann' },
      false,
    ],
    [
      'unsubscribed from e-mail (Braze)',
      { reachability: { reachable: 'email_unsubscribed' } },
      { email_subscribe: 'unsubscribed' },
      true,
    ],
    [
      'opted in is not unsubscribed',
      { reachability: { reachable: 'email_unsubscribed' } },
      { email_subscribe: 'opted_in' },
      false,
    ],
    [
      'not unsubscribed from e-mail',
      { reachability: { reachable: 'email_unsubscribed', is: false } },
      { emailUnsubscribed: true },
      false,
    ],
    ['unsubscribed from SMS', { reachability: { reachable: 'sms_unsubscribed' } }, { smsUnsubscribed: true }, true],
  ])('%s', (_name, condition, traits, expected) => {
    expect(holds(condition, member(traits))).toBe(expected);
  });

  it('finds a MADID from the device when the traits have none', () => {
    expect(
      holds({ reachability: { reachable: 'has_match_key', matchKeys: ['MADID'] } }, member({}, [], 'AAAA-BBBB')),
    ).toBe(true);
    expect(holds({ reachability: { reachable: 'has_match_key', matchKeys: ['MADID'] } }, member({}))).toBe(false);
  });
});

describe('combinations', () => {
  const abandoned: Condition = SegmentCondition.parse({
    all: [
      { behaviour: { did: true, event: 'added_to_cart', count: { op: 'gte', value: 2 }, window: { lastDays: 30 } } },
      { behaviour: { did: false, event: 'purchased', window: { lastDays: 30 } } },
      { profile: { field: 'country', op: 'eq', value: 'US' } },
      { reachability: { reachable: 'email_unsubscribed', is: false } },
      {
        any: [
          { reachability: { reachable: 'has_email' } },
          {
            all: [
              { reachability: { reachable: 'has_phone' } },
              { profile: { field: 'traits.sms_ok', op: 'eq', value: true } },
            ],
          },
        ],
      },
    ],
  });

  it.each<[string, Record<string, unknown>, HistoryItem[], boolean]>([
    ['a US shopper with two carts and no purchase', { country: 'USA', email: 'a@b.co' }, carts, true],
    ['who bought', { country: 'USA', email: 'a@b.co' }, [...carts, item('purchased', daysAgo(2))], false],
    [
      'who bought 40 days ago still qualifies',
      { country: 'USA', email: 'a@b.co' },
      [...carts, item('purchased', daysAgo(40))],
      true,
    ],
    ['outside the US', { country: 'CA', email: 'a@b.co' }, carts, false],
    ['unsubscribed from e-mail', { country: 'us', email: 'a@b.co', email_subscribe: 'unsubscribed' }, carts, false],
    [
      'reachable by phone with SMS consent, two levels down',
      { country: 'us', phone: '+1 650 555 1212', sms_ok: true },
      carts,
      true,
    ],
    ['by phone without SMS consent', { country: 'us', phone: '+1 650 555 1212' }, carts, false],
  ])('%s → %s', (_name, traits, history, expected) => {
    expect(segmentMatches(abandoned, member(traits, history), now)).toBe(expected);
  });
});

describe('validateSegment', () => {
  const ok = {
    name: 'Abandoned carts',
    conditions: { behaviour: { did: true, event: 'added_to_cart', window: { lastDays: 30 } } },
  };
  const codes = (input: unknown) => {
    const result = validateSegment(input);
    return result.ok ? [] : result.problems.map((p) => [p.code, p.path]);
  };

  it('accepts a segment and fills defaults', () => {
    expect(validateSegment(ok)).toMatchObject({ ok: true, segment: { conditions: { behaviour: { where: [] } } } });
  });

  it.each<[string, unknown, [string, string][]]>([
    ['no name', { ...ok, name: '' }, [['too_short', '/name']]],
    ['an unknown field', { ...ok, colour: 'red' }, [['unknown_field', '/colour']]],
    [
      'a window backwards',
      {
        ...ok,
        conditions: {
          behaviour: { did: true, event: 'e', window: { from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' } },
        },
      },
      [['window_order', '/conditions/behaviour/window/to']],
    ],
    [
      'a place that is none',
      { ...ok, conditions: { all: [{ profile: { field: 'country', op: 'eq', value: 'Atlantis' } }] } },
      [['unknown_place', '/conditions/all/0/profile/value']],
    ],
    [
      'nesting five levels deep',
      { ...ok, conditions: { all: [{ any: [{ all: [{ any: [{ all: [ok.conditions] }] }] }] }] } },
      [['too_deep', '/conditions/all/0/any/0/all/0/any/0']],
    ],
    [
      'a negative count',
      {
        ...ok,
        conditions: { behaviour: { did: true, event: 'e', count: { op: 'gte', value: -1 }, window: { ever: true } } },
      },
      [['too_short', '/conditions/behaviour/count/value']],
    ],
  ])('reports %s', (_name, input, expected) => {
    expect(codes(input)).toEqual(expected);
  });
});
