import { z } from 'zod';
import { TimeZone } from './time-zone.js';
import { weekdays } from '../model/vocabulary.js';

export { weekdays };

const IsoDate = z.iso.datetime({ offset: true });

/**
 * When a segment-entry canvas enters its segment's members: once, on given dates, or on a
 * recurring calendar at a local time of an IANA time zone (after Braze's and CleverTap's
 * "once / on multiple dates / recurring").
 */
export const SegmentRuns = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('once'),
      at: IsoDate.optional().describe('Default (or a moment before launch): at launch'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('dates'),
      at: z.array(IsoDate).min(1).max(100).describe('Dates before launch are skipped'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('recurring'),
      every: z.enum(['day', 'week', 'month']),
      daysOfWeek: z.array(z.enum(weekdays)).min(1).max(7).optional().describe('Required for every: week'),
      dayOfMonth: z
        .number()
        .int()
        .min(1)
        .max(31)
        .optional()
        .describe('Required for every: month; a shorter month runs on its last day'),
      time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time such as "09:30"'),
      timeZone: TimeZone,
      endAt: IsoDate.optional().describe('No run at or after this moment'),
    })
    .strict(),
]);
export type SegmentRuns = z.infer<typeof SegmentRuns>;

/** A canvas that enters the members of a segment on a schedule instead of on an event. */
export const SegmentEntry = z
  .object({
    segmentId: z.uuid().describe('A segment of the same workspace'),
    runs: SegmentRuns,
  })
  .strict();
export type SegmentEntry = z.infer<typeof SegmentEntry>;
