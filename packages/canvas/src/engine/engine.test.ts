import { describe, expect, it } from '@jest/globals';
import { abandonedCart, at, journey, profile, randomSplitCanvas, track, version } from '../fixtures.test-helpers.js';
import { fireTimer } from './advance.js';
import { decideEntry, inControlGroup, startJourney } from './entry.js';
import { applyJourneyEvent } from './journey-events.js';
import { nextTimeOfDay } from './time-of-day.js';
import { canvasLevel, type Effect } from './types.js';

const now = at('2026-11-22T10:00:00Z');
const counts = (effects: Effect[]) =>
  effects.filter((e) => e.kind === 'count').map((e) => (e.kind === 'count' ? `${e.stepId}.${e.metric}` : ''));

describe('entry rules', () => {
  const canvas = version(
    abandonedCart({
      entry: {
        trigger: { event: 'added_to_cart', conditions: [{ property: 'cart.total', op: 'gte', value: 20 }] },
        filters: [
          { field: 'country', op: 'in', value: ['US', 'CA'] },
          { field: 'hasEmail', op: 'eq', value: true },
        ],
        schedule: { startAt: '2026-11-01T00:00:00Z', endAt: '2026-12-01T00:00:00Z' },
        reentry: { policy: 'after_cooldown', cooldown: '7d' },
      },
    }),
  );
  const buyer = profile({ country: 'us', email: 'a@b.co' });
  const cart = track('added_to_cart', { cart: { total: 35 } });

  it.each([
    ['another event', track('viewed'), buyer, undefined, now, { enter: false, reason: 'not_triggered' }],
    [
      'an identify call',
      { ...cart, type: 'identify' as const },
      buyer,
      undefined,
      now,
      { enter: false, reason: 'not_triggered' },
    ],
    [
      'event conditions unmet',
      track('added_to_cart', { cart: { total: 5 } }),
      buyer,
      undefined,
      now,
      { enter: false, reason: 'event_conditions' },
    ],
    ['before the schedule', cart, buyer, undefined, at('2026-10-01T00:00:00Z'), { enter: false, reason: 'schedule' }],
    ['after the schedule', cart, buyer, undefined, at('2026-12-01T00:00:00Z'), { enter: false, reason: 'schedule' }],
    [
      'filters unmet (country)',
      cart,
      profile({ country: 'FR', email: 'a@b.co' }),
      undefined,
      now,
      { enter: false, reason: 'filters' },
    ],
    ['filters unmet (no email)', cart, profile({ country: 'US' }), undefined, now, { enter: false, reason: 'filters' }],
    ['still inside', cart, buyer, journey({ status: 'waiting' }), now, { enter: false, reason: 'already_active' }],
    [
      'inside the cool-down',
      cart,
      buyer,
      journey({ status: 'completed', enteredAt: at('2026-11-20T00:00:00Z') }),
      now,
      { enter: false, reason: 'cooldown' },
    ],
    [
      'after the cool-down',
      cart,
      buyer,
      journey({ status: 'exited', entrySeq: 2, enteredAt: at('2026-11-10T00:00:00Z') }),
      now,
      { enter: true, entrySeq: 3, control: false },
    ],
    ['first time', cart, buyer, undefined, now, { enter: true, entrySeq: 1, control: false }],
  ])('%s', (_name, event, who, previous, when, expected) => {
    expect(decideEntry(canvas, event, who, previous, when)).toEqual(expected);
  });

  it('never lets a user back in under the "never" policy', () => {
    expect(
      decideEntry(version(abandonedCart()), track('added_to_cart'), profile(), journey({ status: 'completed' }), now),
    ).toEqual({ enter: false, reason: 'no_reentry' });
  });

  it('draws the control group deterministically, close to the percentage', () => {
    const inControl = Array.from({ length: 10_000 }, (_, i) => inControlGroup('c1', `user-${i}`, 20)).filter(
      Boolean,
    ).length;
    expect(inControl).toBeGreaterThan(1800);
    expect(inControl).toBeLessThan(2200);
    expect(inControlGroup('c1', 'user-1', 20)).toBe(inControlGroup('c1', 'user-1', 20));
    expect(inControlGroup('c1', 'user-1', 0)).toBe(false);
    expect(inControlGroup('c1', 'user-1', 100)).toBe(true);
  });
});

describe('starting a journey', () => {
  it('walks to the first delay and schedules its timer', () => {
    const outcome = startJourney(version(abandonedCart()), profile(), { entrySeq: 1, control: false }, now);
    expect(outcome.journey).toMatchObject({ status: 'waiting', stepId: 'wait', entrySeq: 1, enteredAt: now });
    expect(outcome.effects).toEqual([
      { kind: 'count', stepId: canvasLevel, metric: 'entered' },
      { kind: 'count', stepId: 'wait', metric: 'entered' },
      { kind: 'schedule_timer', stepId: 'wait', dueAt: at('2026-11-22T10:00:10Z') },
    ]);
  });

  it('counts a control-group user as entered and stops there', () => {
    const outcome = startJourney(version(abandonedCart()), profile(), { entrySeq: 1, control: true }, now);
    expect(outcome.journey).toMatchObject({ status: 'control', stepId: null });
    expect(counts(outcome.effects)).toEqual(['$canvas.entered', '$canvas.control']);
  });
});

describe('steps', () => {
  it('delay: fires once, then the Facebook step hands the user off and the journey completes', () => {
    const canvas = version(abandonedCart());
    const waiting = journey();
    const outcome = fireTimer(canvas, waiting, profile(), 'wait', 1, at('2026-11-22T10:00:10Z'));
    expect(outcome.journey).toMatchObject({ status: 'completed', stepId: 'fb' });
    expect(outcome.effects.filter((e) => e.kind === 'audience_handoff')).toHaveLength(1);
    expect(counts(outcome.effects)).toEqual(['wait.proceeded', 'fb.entered', 'fb.proceeded', '$canvas.completed']);
    // the same timer again, or a timer of an older entry, changes nothing
    expect(fireTimer(canvas, outcome.journey, profile(), 'wait', 1, now).effects).toEqual([]);
    expect(fireTimer(canvas, journey({ entrySeq: 2 }), profile(), 'wait', 1, now).effects).toEqual([]);
  });

  it('delay until a time of day waits for the next such time in the zone', () => {
    const canvas = version(
      abandonedCart({
        steps: [{ id: 'wait', kind: 'delay', until: { time: '09:00', timezone: 'America/New_York' }, next: null }],
      }),
    );
    const outcome = startJourney(canvas, profile(), { entrySeq: 1, control: false }, now);
    expect(outcome.effects).toContainEqual({
      kind: 'schedule_timer',
      stepId: 'wait',
      dueAt: at('2026-11-22T14:00:00Z'),
    });
  });

  it.each([
    ['the first matching branch', { plan: 'gold', country: 'US' }, 'gold'],
    ['a later branch', { plan: 'silver' }, 'silver'],
    ['else', { plan: 'free' }, 'rest'],
  ])('audience split: %s', (_name, traits, expectedStep) => {
    const canvas = version(
      abandonedCart({
        firstStep: 'split',
        steps: [
          {
            id: 'split',
            kind: 'audience_split',
            branches: [
              {
                conditions: [
                  { field: 'traits.plan', op: 'eq', value: 'GOLD' },
                  { field: 'country', op: 'exists' },
                ],
                next: 'gold',
              },
              { conditions: [{ field: 'traits.plan', op: 'in', value: ['silver', 'bronze'] }], next: 'silver' },
            ],
            else: 'rest',
          },
          { id: 'gold', kind: 'exit' },
          { id: 'silver', kind: 'exit' },
          { id: 'rest', kind: 'exit' },
        ],
      }),
    );
    const outcome = startJourney(canvas, profile(traits), { entrySeq: 1, control: false }, now);
    expect(outcome.journey).toMatchObject({ status: 'completed', stepId: expectedStep });
    expect(counts(outcome.effects)).toEqual([
      '$canvas.entered',
      'split.entered',
      'split.proceeded',
      `${expectedStep}.entered`,
      '$canvas.completed',
    ]);
  });

  it('random split: stable per user and close to the percentages', () => {
    const canvas = version(
      randomSplitCanvas(
        [
          { percent: 30, next: 'a' },
          { percent: 70, next: 'b' },
        ],
        [
          { id: 'a', kind: 'exit' },
          { id: 'b', kind: 'exit' },
        ],
      ),
    );
    const ends = Array.from(
      { length: 5000 },
      (_, i) => startJourney(canvas, profile({}, `user-${i}`), { entrySeq: 1, control: false }, now).journey.stepId,
    );
    const a = ends.filter((s) => s === 'a').length;
    expect(a).toBeGreaterThan(1350);
    expect(a).toBeLessThan(1650);
    expect(startJourney(canvas, profile({}, 'user-7'), { entrySeq: 1, control: false }, now).journey.stepId).toBe(
      ends[7],
    );
  });

  it('exit step ends the journey', () => {
    const canvas = version(abandonedCart({ firstStep: 'bye', steps: [{ id: 'bye', kind: 'exit' }] }));
    const outcome = startJourney(canvas, profile(), { entrySeq: 1, control: false }, now);
    expect(outcome.journey).toMatchObject({ status: 'completed', stepId: 'bye' });
    expect(counts(outcome.effects)).toEqual(['$canvas.entered', 'bye.entered', '$canvas.completed']);
  });
});

describe('events for users inside a canvas', () => {
  const canvas = version(abandonedCart({ conversionGoal: { event: 'purchased', within: '1d' } }));

  it('exit criteria end a waiting journey and cancel its timer', () => {
    const outcome = applyJourneyEvent(canvas, journey(), track('purchased'), now);
    expect(outcome.journey.status).toBe('exited');
    expect(outcome.effects).toContainEqual({ kind: 'cancel_timer' });
    expect(counts(outcome.effects)).toEqual(['$canvas.converted', 'wait.converted', 'wait.exited', '$canvas.exited']);
  });

  it('conversions count once, inside the window, for control users too', () => {
    const converted = applyJourneyEvent(
      canvas,
      journey({ status: 'completed', stepId: 'fb' }),
      track('purchased'),
      now,
    );
    expect(converted.journey.convertedAt).toEqual(now);
    expect(applyJourneyEvent(canvas, converted.journey, track('purchased'), now).effects).toEqual([]);
    const late = applyJourneyEvent(
      canvas,
      journey({ status: 'completed' }),
      track('purchased'),
      at('2026-11-24T10:00:00Z'),
    );
    expect(late.effects).toEqual([]);
    const control = applyJourneyEvent(canvas, journey({ status: 'control', stepId: null }), track('purchased'), now);
    expect(counts(control.effects)).toEqual(['$canvas.control_converted']);
  });

  it('ignores other events and finished journeys', () => {
    expect(applyJourneyEvent(canvas, journey(), track('viewed'), now).effects).toEqual([]);
    expect(
      applyJourneyEvent(version(abandonedCart()), journey({ status: 'completed' }), track('purchased'), now).effects,
    ).toEqual([]);
  });
});

describe('nextTimeOfDay', () => {
  it.each([
    ['later today in UTC', '2026-11-22T08:00:00Z', '09:30', 'UTC', '2026-11-22T09:30:00.000Z'],
    ['tomorrow when passed', '2026-11-22T10:00:00Z', '09:30', 'UTC', '2026-11-23T09:30:00.000Z'],
    ['across a DST change', '2026-03-07T20:00:00Z', '09:00', 'America/New_York', '2026-03-08T13:00:00.000Z'],
    ['in Tokyo', '2026-11-22T10:00:00Z', '09:00', 'Asia/Tokyo', '2026-11-23T00:00:00.000Z'],
  ])('%s', (_name, from, time, zone, expected) => {
    expect(nextTimeOfDay(at(from), time, zone).toISOString()).toBe(expected);
  });
});
