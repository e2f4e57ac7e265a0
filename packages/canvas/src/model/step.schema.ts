import { z } from 'zod';
import { UserCondition } from './condition.schema.js';
import { Duration } from './duration.js';
import { matchKeys } from './match-keys.js';
import { audienceDescriptionMax } from './vocabulary.js';
import { LookalikeRequest, ValueTrait } from './lookalike.js';
import { resyncModes } from './resync-status.js';

export const StepId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" or "-", at most 64');
/** The step that follows, or null to end the journey. */
export const NextStep = StepId.nullable();

export const DelayStep = z
  .object({
    id: StepId,
    kind: z.literal('delay'),
    name: z.string().max(200).optional(),
    duration: Duration.optional(),
    until: z
      .object({
        time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day "HH:MM"'),
        timezone: z.string().min(1).max(64).default('UTC'),
      })
      .strict()
      .optional(),
    next: NextStep,
  })
  .strict()
  .describe('Waits for a duration, or until the next given time of day.');

export const AudienceSplitStep = z
  .object({
    id: StepId,
    kind: z.literal('audience_split'),
    name: z.string().max(200).optional(),
    branches: z
      .array(
        z
          .object({
            name: z.string().max(200).optional(),
            conditions: z.array(UserCondition).min(1).max(50),
            next: NextStep,
          })
          .strict(),
      )
      .min(1)
      .max(20),
    else: NextStep,
  })
  .strict()
  .describe('Sends the user down the first branch whose conditions all hold, else down "else".');

export const RandomSplitStep = z
  .object({
    id: StepId,
    kind: z.literal('random_split'),
    name: z.string().max(200).optional(),
    paths: z
      .array(
        z
          .object({ name: z.string().max(200).optional(), percent: z.number().int().min(0).max(100), next: NextStep })
          .strict(),
      )
      .min(2)
      .max(20),
  })
  .strict()
  .describe('Sends each user down one path, with the given percentages, the same way every time.');

export const AudienceRef = z.union([
  z
    .object({
      id: z.string().regex(/^\d{1,30}$/, 'a Meta custom audience id'),
      valueTrait: ValueTrait.optional().describe(
        "For a value-based audience (launch checks Meta's is_value_based): the trait sent as LOOKALIKE_VALUE",
      ),
    })
    .strict(),
  z
    .object({
      create: z
        .object({
          name: z.string().min(1).max(200),
          description: z
            .string()
            .max(audienceDescriptionMax, `at most ${audienceDescriptionMax} characters`)
            .optional(),
          valueTrait: ValueTrait.optional(),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      fromStep: StepId.describe(
        'Another Facebook step of this canvas whose audience this step uses, ' +
          'e.g. remove after purchase what an earlier step added',
      ),
    })
    .strict(),
]);

export const FacebookAudienceStep = z
  .object({
    id: StepId,
    kind: z.literal('facebook_audience'),
    name: z.string().max(200).optional(),
    adAccountId: z
      .string()
      .regex(/^(act_)?\d{1,30}$/, 'a Meta ad account id such as act_1234567890')
      .optional(),
    audience: AudienceRef,
    action: z.enum(['add', 'remove']).default('add'),
    followSegment: z
      .boolean()
      .default(false)
      .describe(
        "Keep the audience equal to the canvas's segment: each run adds new members and removes those " +
          'who no longer qualify (segment-entry canvases, action add)',
      ),
    resync: z
      .enum(resyncModes)
      .optional()
      .describe(
        'For a following step: "each_run" replaces the audience with the members after every scheduled run ' +
          "(Meta's replace: no ad-set learning reset); on_demand (the default) only when asked",
      ),
    matchKeys: z.array(z.enum(matchKeys)).min(1).max(matchKeys.length),
    adSetIds: z
      .array(z.string().regex(/^\d{1,30}$/, 'a Meta ad set id'))
      .max(50)
      .optional()
      .describe("Ad sets of the step's account whose targeting should include the audience; linked at launch"),
    lookalike: LookalikeRequest.optional(),
    next: NextStep,
  })
  .strict()
  .describe('Adds the user to (or removes them from) a Meta custom audience, then moves on at once.');

export const ExitStep = z
  .object({ id: StepId, kind: z.literal('exit'), name: z.string().max(200).optional() })
  .strict()
  .describe('Ends the journey.');

export const Step = z.discriminatedUnion('kind', [
  DelayStep,
  AudienceSplitStep,
  RandomSplitStep,
  FacebookAudienceStep,
  ExitStep,
]);
export type Step = z.infer<typeof Step>;
export type StepKind = Step['kind'];
export type DelayStep = z.infer<typeof DelayStep>;
export type AudienceSplitStep = z.infer<typeof AudienceSplitStep>;
export type RandomSplitStep = z.infer<typeof RandomSplitStep>;
export type FacebookAudienceStep = z.infer<typeof FacebookAudienceStep>;
export type ExitStep = z.infer<typeof ExitStep>;
export type AudienceRef = z.infer<typeof AudienceRef>;
