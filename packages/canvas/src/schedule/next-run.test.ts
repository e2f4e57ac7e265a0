import { describe, expect, it } from '@jest/globals';
import { dueRun, nextRunAfter } from './next-run.js';
import { SegmentRuns } from './segment-runs.schema.js';

const at = (iso: string) => new Date(iso);
const launched = at('2026-03-02T12:00:00Z'); // a Monday
const runs = (input: unknown) => SegmentRuns.parse(input);

describe('segment run schedules', () => {
  it.each<[string, unknown, string, string | null]>([
    ['once, no time: at launch', { kind: 'once' }, '2026-03-02T11:59:59.999Z', '2026-03-02T12:00:00.000Z'],
    [
      'once, later time',
      { kind: 'once', at: '2026-03-05T08:00:00Z' },
      '2026-03-02T12:00:00Z',
      '2026-03-05T08:00:00.000Z',
    ],
    [
      'once, a time before launch runs at launch',
      { kind: 'once', at: '2026-01-01T00:00:00Z' },
      '2026-03-02T11:00:00Z',
      '2026-03-02T12:00:00.000Z',
    ],
    ['once, already run', { kind: 'once' }, '2026-03-02T12:00:00Z', null],
    [
      'dates: the next one, earlier ones skipped',
      { kind: 'dates', at: ['2026-03-10T10:00:00Z', '2026-01-01T00:00:00Z', '2026-03-04T10:00:00Z'] },
      '2026-03-02T12:00:00Z',
      '2026-03-04T10:00:00.000Z',
    ],
    ['dates: none left', { kind: 'dates', at: ['2026-03-04T10:00:00Z'] }, '2026-03-04T10:00:00Z', null],
    [
      'daily at 09:00 Paris (UTC+1 in winter)',
      { kind: 'recurring', every: 'day', time: '09:00', timeZone: 'Europe/Paris' },
      '2026-03-02T12:00:00Z',
      '2026-03-03T08:00:00.000Z',
    ],
    [
      'daily across the spring change: 09:00 Paris is 07:00 UTC after 29 March',
      { kind: 'recurring', every: 'day', time: '09:00', timeZone: 'Europe/Paris' },
      '2026-03-29T06:00:00Z',
      '2026-03-29T07:00:00.000Z',
    ],
    [
      'a local time the spring gap skips moves forward an hour',
      { kind: 'recurring', every: 'day', time: '02:30', timeZone: 'Europe/Paris' },
      '2026-03-28T12:00:00Z',
      '2026-03-29T01:30:00.000Z',
    ],
    [
      'weekly on Wednesday and Friday at 18:30 New York',
      { kind: 'recurring', every: 'week', daysOfWeek: ['fri', 'wed'], time: '18:30', timeZone: 'America/New_York' },
      '2026-03-02T12:00:00Z',
      '2026-03-04T23:30:00.000Z',
    ],
    [
      'monthly on the 31st runs on the last day of a shorter month',
      { kind: 'recurring', every: 'month', dayOfMonth: 31, time: '00:00', timeZone: 'UTC' },
      '2026-04-01T00:00:00Z',
      '2026-04-30T00:00:00.000Z',
    ],
    [
      'recurring up to its end',
      { kind: 'recurring', every: 'day', time: '09:00', timeZone: 'UTC', endAt: '2026-03-03T09:00:00Z' },
      '2026-03-02T12:00:00Z',
      null,
    ],
  ])('%s', (_name, input, after, expected) => {
    expect(nextRunAfter(runs(input), at(after), launched)?.toISOString() ?? null).toBe(expected);
  });

  it('never runs a recurring schedule before launch', () => {
    const daily = runs({ kind: 'recurring', every: 'day', time: '09:00', timeZone: 'UTC' });
    expect(nextRunAfter(daily, at('2026-01-01T00:00:00Z'), launched)?.toISOString()).toBe('2026-03-03T09:00:00.000Z');
  });

  it('folds runs missed while nothing ran into the latest one due', () => {
    const daily = runs({ kind: 'recurring', every: 'day', time: '09:00', timeZone: 'UTC' });
    expect(dueRun(daily, at('2026-03-03T09:00:00Z'), launched, at('2026-03-06T10:00:00Z'))?.toISOString()).toBe(
      '2026-03-06T09:00:00.000Z',
    );
    expect(dueRun(daily, at('2026-03-06T09:00:00Z'), launched, at('2026-03-06T10:00:00Z'))).toBeNull();
  });

  it('refuses a time zone that is not an IANA name', () => {
    expect(
      SegmentRuns.safeParse({ kind: 'recurring', every: 'day', time: '09:00', timeZone: 'Mars/Olympus' }).success,
    ).toBe(false);
  });
});
