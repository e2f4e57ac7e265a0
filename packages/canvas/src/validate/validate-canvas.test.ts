import { describe, expect, it } from '@jest/globals';
import { abandonedCart, randomSplitCanvas } from '../fixtures.test-helpers.js';
import type { ProblemCode } from './problem.js';
import { validateCanvas } from './validate-canvas.js';

const codes = (input: unknown) => {
  const result = validateCanvas(input);
  return result.ok ? [] : result.problems.map((p) => [p.code, p.path]);
};

const wait = { id: 'wait', kind: 'delay' as const, duration: '10s', next: 'fb' };
const addStep = (extra: { next?: string; adSetIds?: string[] } = {}) => ({
  id: 'fb',
  kind: 'facebook_audience' as const,
  audience: { create: { name: 'Abandoned_Cart_30_Days' } },
  matchKeys: ['EMAIL' as const],
  next: null,
  ...extra,
});

/** A removing Facebook step, reached from the abandoned cart's Facebook step. */
const removeStep = (audience: { fromStep: string }, id = 'remove') => ({
  id,
  kind: 'facebook_audience' as const,
  audience,
  action: 'remove' as const,
  matchKeys: ['EMAIL' as const],
  next: null,
});

describe('validateCanvas', () => {
  it('accepts the abandoned-cart example and fills defaults', () => {
    const result = validateCanvas(abandonedCart());
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.canvas.entry).toMatchObject({ filters: [], reentry: { policy: 'never' }, controlGroupPercent: 0 });
      expect(result.canvas.steps[1]).toMatchObject({ action: 'add' });
    }
  });

  it.each<[string, unknown, [ProblemCode, string][]]>([
    ['missing name', { ...abandonedCart(), name: undefined }, [['required', '/name']]],
    ['wrong type', { ...abandonedCart(), name: 42 }, [['invalid_type', '/name']]],
    ['unknown field', { ...abandonedCart(), color: 'red' }, [['unknown_field', '/color']]],
    [
      'unknown step kind',
      abandonedCart({ steps: [{ id: 'wait', kind: 'sms' } as never] }),
      [['invalid_value', '/steps/0/kind']],
    ],
    [
      'no entry step',
      abandonedCart({ firstStep: 'nope' }),
      [
        ['no_entry', '/firstStep'],
        ['unreachable_step', '/steps/0'],
        ['unreachable_step', '/steps/1'],
      ].slice(0, 1) as [ProblemCode, string][],
    ],
    [
      'unknown step reference',
      abandonedCart({ steps: [{ id: 'wait', kind: 'delay', duration: '1m', next: 'ghost' }] }),
      [['unknown_step', '/steps/0/next']],
    ],
    [
      'duplicate step ids',
      abandonedCart({
        steps: [
          { id: 'wait', kind: 'delay', duration: '1m', next: null },
          { id: 'wait', kind: 'exit' },
        ],
      }),
      [['duplicate_step', '/steps/1/id']],
    ],
    [
      'unreachable step',
      abandonedCart({
        steps: [
          { id: 'wait', kind: 'delay', duration: '1m', next: null },
          { id: 'lonely', kind: 'exit' },
        ],
      }),
      [['unreachable_step', '/steps/1']],
    ],
    [
      'cycle',
      abandonedCart({
        steps: [
          { id: 'wait', kind: 'delay', duration: '1m', next: 'again' },
          { id: 'again', kind: 'delay', duration: '1m', next: 'wait' },
        ],
      }),
      [['cycle', '/steps/1/next']],
    ],
    [
      'percentages not 100',
      randomSplitCanvas([
        { percent: 50, next: null },
        { percent: 40, next: null },
      ]),
      [['percentages_sum', '/steps/0/paths']],
    ],
    [
      'description too long',
      abandonedCart({
        firstStep: 'fb',
        steps: [
          {
            id: 'fb',
            kind: 'facebook_audience',
            audience: { create: { name: 'x', description: 'd'.repeat(201) } },
            matchKeys: ['EMAIL'],
            next: null,
          },
        ],
      }),
      [['too_long', '/steps/0/audience/create/description']],
    ],
    [
      'unknown match key',
      abandonedCart({
        firstStep: 'fb',
        steps: [
          {
            id: 'fb',
            kind: 'facebook_audience',
            audience: { id: '123' },
            matchKeys: ['EMAIL', 'SSN' as never],
            next: null,
          },
        ],
      }),
      [['unknown_match_key', '/steps/0/matchKeys/1']],
    ],
    [
      'no identifier key',
      abandonedCart({
        firstStep: 'fb',
        steps: [{ id: 'fb', kind: 'facebook_audience', audience: { id: '123' }, matchKeys: ['FN', 'LN'], next: null }],
      }),
      [['no_identifier_key', '/steps/0/matchKeys']],
    ],
    [
      'duplicate match key',
      abandonedCart({
        firstStep: 'fb',
        steps: [
          { id: 'fb', kind: 'facebook_audience', audience: { id: '123' }, matchKeys: ['EMAIL', 'EMAIL'], next: null },
        ],
      }),
      [['duplicate_match_key', '/steps/0/matchKeys/1']],
    ],
    [
      'delay without duration',
      abandonedCart({ steps: [{ id: 'wait', kind: 'delay', next: null }] }),
      [['delay_spec', '/steps/0']],
    ],
    [
      'bad time zone',
      abandonedCart({
        steps: [{ id: 'wait', kind: 'delay', until: { time: '09:00', timezone: 'Mars/Olympus' }, next: null }],
      }),
      [['invalid_timezone', '/steps/0/until/timezone']],
    ],
    [
      'schedule backwards',
      abandonedCart({
        entry: {
          trigger: { event: 'e' },
          schedule: { startAt: '2026-12-01T00:00:00Z', endAt: '2026-11-01T00:00:00Z' },
        },
      }),
      [['schedule_order', '/entry/schedule/endAt']],
    ],
    [
      'bad duration',
      abandonedCart({ steps: [{ id: 'wait', kind: 'delay', duration: 'soon', next: null }] }),
      [['invalid_value', '/steps/0/duration']],
    ],
    [
      'a country that names no country',
      abandonedCart({
        entry: { trigger: { event: 'e' }, filters: [{ field: 'country', op: 'eq', value: 'Atlantis' }] },
      }),
      [['unknown_place', '/entry/filters/0/value']],
    ],
    [
      'a city without letters in a list',
      abandonedCart({
        entry: { trigger: { event: 'e' }, filters: [{ field: 'city', op: 'in', value: ['Paris', '123'] }] },
      }),
      [['unknown_place', '/entry/filters/0/value/1']],
    ],
    [
      'a region that is punctuation',
      abandonedCart({
        firstStep: 'split',
        steps: [
          {
            id: 'split',
            kind: 'audience_split',
            branches: [{ conditions: [{ field: 'region', op: 'neq', value: '--' }], next: null }],
            else: null,
          },
        ],
      }),
      [['unknown_place', '/steps/0/branches/0/conditions/0/value']],
    ],
    [
      'bad user field',
      abandonedCart({ entry: { trigger: { event: 'e' }, filters: [{ field: 'password', op: 'exists' }] } }),
      [['invalid_value', '/entry/filters/0/field']],
    ],
    [
      'too many steps',
      abandonedCart({ steps: Array.from({ length: 201 }, (_, i) => ({ id: `s${i}`, kind: 'exit' as const })) }),
      [['too_many', '/steps']],
    ],
    [
      'an audience taken from a step that does not exist',
      abandonedCart({ steps: [wait, addStep(), removeStep({ fromStep: 'ghost' })] }),
      [['unknown_step', '/steps/2/audience/fromStep']],
    ],
    [
      'an audience taken from a step that is not a Facebook step',
      abandonedCart({ steps: [wait, addStep(), removeStep({ fromStep: 'wait' })] }),
      [['audience_step_kind', '/steps/2/audience/fromStep']],
    ],
    [
      'an audience taken from a step that takes it from another',
      abandonedCart({
        steps: [wait, addStep(), removeStep({ fromStep: 'fb' }, 'undo'), removeStep({ fromStep: 'undo' })],
      }),
      [['audience_step_chain', '/steps/3/audience/fromStep']],
    ],
    [
      'an audience taken from a step on another ad account',
      abandonedCart({
        steps: [wait, addStep(), { ...removeStep({ fromStep: 'fb' }), adAccountId: 'act_42' }],
      }),
      [['audience_account_mismatch', '/steps/2/adAccountId']],
    ],
    [
      'ad sets on a removing step, and an ad set twice',
      abandonedCart({
        steps: [wait, addStep({ adSetIds: ['120', '120'] }), { ...removeStep({ fromStep: 'fb' }), adSetIds: ['121'] }],
      }),
      [
        ['duplicate_ad_set', '/steps/1/adSetIds/1'],
        ['ad_sets_on_remove', '/steps/2/adSetIds'],
      ],
    ],
  ])('reports %s', (_name, input, expected) => {
    expect(codes(input)).toEqual(expect.arrayContaining(expected));
  });

  it('accepts a step that removes from the audience an earlier step adds to', () => {
    const canvas = abandonedCart({
      steps: [wait, addStep({ next: 'remove', adSetIds: ['120', '121'] }), removeStep({ fromStep: 'fb' })],
    });
    expect(codes(canvas)).toEqual([]);
  });

  it('reports every problem at once', () => {
    const result = validateCanvas(
      abandonedCart({
        steps: [
          { id: 'wait', kind: 'delay', duration: '1m', next: 'ghost' },
          {
            id: 'ab',
            kind: 'random_split',
            paths: [
              { percent: 10, next: null },
              { percent: 10, next: null },
            ],
          },
        ],
      }),
    );
    expect(result.ok ? [] : result.problems.map((p) => p.code).sort()).toEqual([
      'percentages_sum',
      'unknown_step',
      'unreachable_step',
    ]);
  });
});
