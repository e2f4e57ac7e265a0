/**
 * One canvas for each problem the API's canvas validation can name, and the builder field that
 * must show it (the console's problem homes); window_order is a segment's, walked on a segment.
 */
const base = () => ({
  name: 'Walk',
  entry: { trigger: { event: 'added_to_cart' } },
  firstStep: 'wait',
  steps: [
    { id: 'wait', kind: 'delay', duration: '10s', next: 'fb' } as Record<string, unknown>,
    {
      id: 'fb',
      kind: 'facebook_audience',
      audience: { create: { name: 'Walk_Audience' } },
      matchKeys: ['EMAIL'],
      next: null,
    } as Record<string, unknown>,
  ],
});
type Canvas = ReturnType<typeof base>;
const segmentId = '6f1c1a52-8a1f-4a57-9a49-2f0f3c1d7e11';
const edit = (change: (canvas: Canvas) => void) => {
  const canvas = base();
  change(canvas);
  return canvas;
};
const fb = (canvas: Canvas) => canvas.steps[1] as Record<string, unknown>;
const remover = (extra: Record<string, unknown> = {}) => ({
  id: 'remove',
  kind: 'facebook_audience',
  audience: { fromStep: 'fb' },
  action: 'remove',
  matchKeys: ['EMAIL'],
  next: null,
  ...extra,
});
const deep = (levels: number): unknown => (levels === 0 ? 'x' : [deep(levels - 1)]);

export const canvasProblemWalk: { code: string; canvas: unknown; home: string }[] = [
  { code: 'required', canvas: { ...base(), name: undefined }, home: '/name' },
  { code: 'invalid_type', canvas: { ...base(), name: 42 }, home: '/name' },
  { code: 'invalid_value', canvas: edit((c) => (c.steps[0]!.duration = 'soon')), home: '/steps/0/duration' },
  {
    code: 'too_long',
    canvas: edit((c) => (fb(c).audience = { create: { name: 'A', description: 'd'.repeat(201) } })),
    home: '/steps/1/audience/create/description',
  },
  {
    code: 'too_short',
    canvas: edit((c) => (fb(c).audience = { create: { name: '' } })),
    home: '/steps/1/audience/create/name',
  },
  {
    code: 'too_many',
    canvas: edit((c) => (fb(c).adSetIds = Array.from({ length: 51 }, (_, i) => String(1000 + i)))),
    home: '/steps/1/adSetIds',
  },
  { code: 'unknown_field', canvas: edit((c) => (c.steps[0]!.colour = 'red')), home: '/steps/0' },
  { code: 'unknown_match_key', canvas: edit((c) => (fb(c).matchKeys = ['EMAIL', 'SSN'])), home: '/steps/1/matchKeys' },
  { code: 'no_entry', canvas: { ...base(), firstStep: 'ghost' }, home: '/firstStep' },
  { code: 'unknown_step', canvas: edit((c) => (fb(c).next = 'ghost')), home: '/steps/1/next' },
  { code: 'duplicate_step', canvas: edit((c) => c.steps.push({ id: 'fb', kind: 'exit' })), home: '/steps/2/id' },
  { code: 'unreachable_step', canvas: edit((c) => c.steps.push({ id: 'lonely', kind: 'exit' })), home: '/steps/2' },
  { code: 'cycle', canvas: edit((c) => (fb(c).next = 'wait')), home: '/steps/1/next' },
  {
    code: 'percentages_sum',
    canvas: edit((c) => {
      c.firstStep = 'ab';
      c.steps.unshift({
        id: 'ab',
        kind: 'random_split',
        paths: [
          { percent: 50, next: 'wait' },
          { percent: 40, next: null },
        ],
      });
    }),
    home: '/steps/0/paths',
  },
  { code: 'delay_spec', canvas: edit((c) => delete c.steps[0]!.duration), home: '/steps/0' },
  {
    code: 'invalid_timezone',
    canvas: edit((c) => {
      delete c.steps[0]!.duration;
      c.steps[0]!.until = { time: '09:00', timezone: 'Mars/Olympus' };
    }),
    home: '/steps/0/until/timezone',
  },
  { code: 'no_identifier_key', canvas: edit((c) => (fb(c).matchKeys = ['FN', 'LN'])), home: '/steps/1/matchKeys' },
  {
    code: 'duplicate_match_key',
    canvas: edit((c) => (fb(c).matchKeys = ['EMAIL', 'EMAIL'])),
    home: '/steps/1/matchKeys',
  },
  {
    code: 'schedule_order',
    canvas: edit(
      (c) =>
        ((c.entry as Record<string, unknown>).schedule = {
          startAt: '2026-12-01T00:00:00Z',
          endAt: '2026-11-01T00:00:00Z',
        }),
    ),
    home: '/entry/schedule/endAt',
  },
  {
    code: 'unknown_place',
    canvas: edit(
      (c) =>
        ((c.entry as Record<string, unknown>).filters = [{ field: 'country', op: 'in', value: ['US', 'Atlantis'] }]),
    ),
    home: '/entry/filters/0/value',
  },
  {
    code: 'too_deep',
    canvas: edit(
      (c) =>
        (c.entry.trigger = {
          event: 'added_to_cart',
          conditions: [{ property: 'total', op: 'in', value: deep(70) }],
        } as never),
    ),
    home: '/entry/trigger/conditions/0/value',
  },
  {
    code: 'entry_kind',
    canvas: edit((c) => ((c.entry as Record<string, unknown>).segment = { segmentId, runs: { kind: 'once' } })),
    home: '/entry/segment',
  },
  {
    code: 'run_rule',
    canvas: edit(
      (c) =>
        (c.entry = {
          segment: { segmentId, runs: { kind: 'recurring', every: 'week', time: '09:00', timeZone: 'UTC' } },
        } as never),
    ),
    home: '/entry/segment/runs/daysOfWeek',
  },
  { code: 'follow_segment', canvas: edit((c) => (fb(c).followSegment = true)), home: '/steps/1/followSegment' },
  {
    code: 'audience_step_kind',
    canvas: edit((c) => {
      fb(c).next = 'remove';
      c.steps.push(remover({ audience: { fromStep: 'wait' } }));
    }),
    home: '/steps/2/audience/fromStep',
  },
  {
    code: 'audience_step_chain',
    canvas: edit((c) => {
      fb(c).next = 'undo';
      c.steps.push(remover({ id: 'undo', next: 'remove' }), remover({ audience: { fromStep: 'undo' } }));
    }),
    home: '/steps/3/audience/fromStep',
  },
  {
    code: 'audience_account_mismatch',
    canvas: edit((c) => {
      fb(c).next = 'remove';
      c.steps.push(remover({ adAccountId: 'act_42' }));
    }),
    home: '/steps/2/adAccountId',
  },
  {
    code: 'ad_sets_on_remove',
    canvas: edit((c) => {
      fb(c).next = 'remove';
      c.steps.push(remover({ adSetIds: ['121'] }));
    }),
    home: '/steps/2/adSetIds',
  },
  { code: 'duplicate_ad_set', canvas: edit((c) => (fb(c).adSetIds = ['120', '120'])), home: '/steps/1/adSetIds' },
  {
    code: 'value_based',
    canvas: edit((c) => {
      fb(c).action = 'remove';
      fb(c).audience = { create: { name: 'Walk_Audience', valueTrait: 'lifetime_value' } };
    }),
    home: '/steps/1/audience/create/valueTrait',
  },
  {
    code: 'lookalike',
    canvas: edit((c) => {
      fb(c).action = 'remove';
      fb(c).lookalike = { countries: ['US'], ratio: 0.01 };
    }),
    home: '/steps/1/lookalike',
  },
];

export const segmentProblemWalk = {
  code: 'window_order',
  segment: {
    name: 'Backwards',
    conditions: {
      all: [
        {
          behaviour: {
            did: true,
            event: 'viewed',
            window: { from: '2026-12-01T00:00:00Z', to: '2026-11-01T00:00:00Z' },
          },
        },
      ],
    },
  },
  home: '/conditions/all/0/behaviour/window/to',
};
