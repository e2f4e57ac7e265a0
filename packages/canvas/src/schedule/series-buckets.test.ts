import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { maxSeriesBuckets, seriesBuckets } from './series-buckets.js';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('seriesBuckets', () => {
  it('starts days at local midnight, also across a daylight-saving change', () => {
    const days = seriesBuckets(
      new Date('2026-03-28T12:00:00Z'),
      new Date('2026-03-31T00:00:00Z'),
      'day',
      'Europe/Paris',
    );
    expect(iso(days)).toEqual([
      '2026-03-27T23:00:00.000Z',
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
      '2026-03-30T22:00:00.000Z',
    ]);
  });

  it('covers [from, to) with whole hours', () => {
    const hours = seriesBuckets(new Date('2026-01-01T10:30:00Z'), new Date('2026-01-01T13:00:00Z'), 'hour', 'UTC');
    expect(iso(hours)).toEqual(['2026-01-01T10:00:00.000Z', '2026-01-01T11:00:00.000Z', '2026-01-01T12:00:00.000Z']);
  });

  it('never builds more than one bucket past the limit, however wide the range', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01Z'), max: new Date('2100-01-01Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 10 ** 12 }),
        fc.constantFrom('hour' as const, 'day' as const),
        fc.constantFrom('UTC', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham'),
        (from, span, interval, zone) => {
          const buckets = seriesBuckets(from, new Date(from.getTime() + span), interval, zone);
          expect(buckets.length).toBeGreaterThan(0);
          expect(buckets.length).toBeLessThanOrEqual(maxSeriesBuckets + 1);
          expect(buckets[0]!.getTime()).toBeLessThanOrEqual(from.getTime());
          for (let i = 1; i < buckets.length; i++)
            expect(buckets[i]!.getTime()).toBeGreaterThan(buckets[i - 1]!.getTime());
        },
      ),
    );
  });
});
