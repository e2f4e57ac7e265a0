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

describe('canvas entry: an event trigger or a segment', () => {
  it('accepts a canvas that enters a segment weekly', () => {
    expect(codes(weeklySegmentCanvasExample(segmentId))).toEqual([]);
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
    ['a segment id that is not a uuid', abandonedCart({ entry: { segment: { segmentId: 'x', runs: { kind: 'once' } } } }), [['invalid_value', '/entry/segment/segmentId']]],
  ])('%s', (_name, input, expected) => {
    expect(codes(input)).toEqual(expected);
  });
});
