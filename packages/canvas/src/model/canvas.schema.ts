import { z } from 'zod';
import { EventCondition, UserCondition } from './condition.schema.js';
import { Duration } from './duration.js';
import { Step, StepId } from './step.schema.js';
import { SegmentEntry } from '../schedule/segment-runs.schema.js';

const EventName = z.string().min(1).max(200);

export const Entry = z
  .object({
    trigger: z
      .object({ event: EventName, conditions: z.array(EventCondition).max(50).default([]) })
      .strict()
      .optional()
      .describe('Enter on a live track event; a canvas has a trigger or a segment, not both.'),
    segment: SegmentEntry.optional().describe("Enter a segment's members once, on dates or on a recurring schedule."),
    inSegment: z
      .uuid()
      .optional()
      .describe(
        'With a trigger: only members of this segment enter, judged at the triggering event ' +
          'on the profile and the behaviour history kept then (that event included).',
      ),
    filters: z.array(UserCondition).max(50).default([]).describe('User-property filters; all must hold.'),
    schedule: z
      .object({
        startAt: z.iso.datetime({ offset: true }).optional(),
        endAt: z.iso.datetime({ offset: true }).optional(),
      })
      .strict()
      .optional(),
    reentry: z
      .discriminatedUnion('policy', [
        z.object({ policy: z.literal('never') }).strict(),
        z.object({ policy: z.literal('after_cooldown'), cooldown: Duration }).strict(),
      ])
      .default({ policy: 'never' }),
    targetCap: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('At most this many entrants, ever, across all versions.'),
    controlGroupPercent: z
      .number()
      .int()
      .min(0)
      .max(100)
      .default(0)
      .describe('Share of entrants held out; they are counted but never proceed.'),
  })
  .strict()
  .superRefine((entry, context) => {
    if ((entry.trigger === undefined) === (entry.segment === undefined))
      context.addIssue({
        code: 'custom',
        params: { problem: 'entry_kind' },
        path: [entry.trigger === undefined ? 'trigger' : 'segment'],
        message: 'an entry has either an event trigger or a segment, exactly one',
      });
    if (entry.segment !== undefined && entry.inSegment !== undefined)
      context.addIssue({
        code: 'custom',
        params: { problem: 'entry_kind' },
        path: ['inSegment'],
        message: 'inSegment filters event-triggered entries; a segment entry already enters only its members',
      });
  });

/** A canvas as a designer writes it: entry rules and a graph of steps. */
export const CanvasDefinition = z
  .object({
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    entry: Entry,
    conversionGoal: z
      .object({ event: EventName, within: Duration, conditions: z.array(EventCondition).max(50).default([]) })
      .strict()
      .optional(),
    exitCriteria: z
      .array(z.object({ event: EventName, conditions: z.array(EventCondition).max(50).default([]) }).strict())
      .max(20)
      .default([]),
    firstStep: StepId.describe('The step every entrant starts at.'),
    steps: z.array(Step).min(1).max(200),
  })
  .strict();

export type CanvasDefinition = z.infer<typeof CanvasDefinition>;
export type CanvasDefinitionInput = z.input<typeof CanvasDefinition>;
export type Entry = z.infer<typeof Entry>;
