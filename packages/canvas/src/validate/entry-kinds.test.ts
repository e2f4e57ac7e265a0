import { describe, expect, it } from '@jest/globals';
import { abandonedCart } from '../fixtures.test-helpers.js';
import { weeklySegmentCanvasExample } from '../model/examples.js';
import { validateCanvas } from './validate-canvas.js';

const segmentId = '6f1c1a52-8a1f-4a57-9a49-2f0f3c1d7e11';
const codes = (input: unknown) => {
  const result = validateCanvas(input);
  return result.ok ? [] : result.problems.map((p) => [p.code, p.path]);
};
const withRuns = (runs: unknown) => {
  const canvas = weeklySegmentCanvasExample(segmentId);
  return { ...canvas, entry: { ...canvas.entry, segment: { segmentId, runs } } };
};

const following = () => {
  const canvas = weeklySegmentCanvasExample(segmentId);
  return { ...canvas, steps: [{ ...canvas.steps[0], followSegment: true }] };
};

describe('canvas entry: an event trigger or a segment', () => {
  it('accepts a canvas that enters a segment weekly, and one whose audience follows it', () => {
    expect(codes(weeklySegmentCanvasExample(segmentId))).toEqual([]);
    expect(codes(following())).toEqual([]);
    expect(codes({ ...following(), steps: [{ ...following().steps[0], resync: 'each_run' }] })).toEqual([]);
  });

  it.each<[string, unknown, [string, string][]]>([
    ['neither trigger nor segment', abandonedCart({ entry: {} }), [['entry_kind', '/entry/trigger']]],
    [
      'both',
      abandonedCart({ entry: { trigger: { event: 'x' }, segment: { segmentId, runs: { kind: 'once' } } } }),
      [['entry_kind', '/entry/segment']],
    ],
    [
      'weekly without days',
      withRuns({ kind: 'recurring', every: 'week', time: '09:00', timeZone: 'UTC' }),
      [['run_rule', '/entry/segment/runs/daysOfWeek']],
    ],
    [
      'monthly without a day',
      withRuns({ kind: 'recurring', every: 'month', time: '09:00', timeZone: 'UTC' }),
      [['run_rule', '/entry/segment/runs/dayOfMonth']],
    ],
    [
      'daily with days of the week',
      withRuns({ kind: 'recurring', every: 'day', daysOfWeek: ['mon'], time: '09:00', timeZone: 'UTC' }),
      [['run_rule', '/entry/segment/runs/daysOfWeek']],
    ],
    [
      'a local time out of range',
      withRuns({ kind: 'recurring', every: 'day', time: '24:00', timeZone: 'UTC' }),
      [['invalid_value', '/entry/segment/runs/time']],
    ],
    [
      'an unknown time zone',
      withRuns({ kind: 'recurring', every: 'day', time: '09:00', timeZone: 'Europe/Atlantis' }),
      [['invalid_value', '/entry/segment/runs/timeZone']],
    ],
    [
      'a segment id that is not a uuid',
      abandonedCart({ entry: { segment: { segmentId: 'x', runs: { kind: 'once' } } } }),
      [['invalid_value', '/entry/segment/segmentId']],
    ],
    [
      'a following step in a triggered canvas',
      abandonedCart({
        steps: [
          { id: 'wait', kind: 'delay', duration: '10s', next: 'fb' },
          {
            id: 'fb',
            kind: 'facebook_audience',
            audience: { create: { name: 'A' } },
            matchKeys: ['EMAIL'],
            followSegment: true,
            next: null,
          },
        ],
      }),
      [['follow_segment', '/steps/1/followSegment']],
    ],
    [
      'a following step that removes',
      { ...following(), steps: [{ ...following().steps[0], action: 'remove' }] },
      [['follow_segment', '/steps/0/followSegment']],
    ],
    [
      'a following audience that never lets removed users back',
      { ...following(), entry: { ...following().entry, reentry: { policy: 'never' } } },
      [['follow_segment', '/entry/reentry']],
    ],
    [
      'a resync after each run of a step that does not follow',
      { ...following(), steps: [{ ...following().steps[0], followSegment: false, resync: 'each_run' }] },
      [['follow_segment', '/steps/0/resync']],
    ],
    [
      'an unknown resync mode',
      { ...following(), steps: [{ ...following().steps[0], resync: 'hourly' }] },
      [['invalid_value', '/steps/0/resync']],
    ],
  ])('%s', (_name, input, expected) => {
    expect(codes(input)).toEqual(expected);
  });
});
