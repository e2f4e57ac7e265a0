import { z } from 'zod';
import { EventCondition, UserCondition } from '../model/condition.schema.js';
import { behaviourCountOps, reachabilityKinds } from '../model/vocabulary.js';
import { identifierKeys, type MatchKey } from '../model/match-keys.js';

const EventName = z.string().min(1).max(200);
const IsoDate = z.iso.datetime({ offset: true });

/** When a behaviour counts: the last N days, between two moments, or ever (within the history's retention). */
export const BehaviourWindow = z.union([
  z.object({ lastDays: z.number().int().min(1).max(3650) }).strict(),
  z.object({ from: IsoDate, to: IsoDate }).strict(),
  z.object({ ever: z.literal(true) }).strict(),
]);
export type BehaviourWindow = z.infer<typeof BehaviourWindow>;

/** "did added_to_cart ≥ 2 times in the last 30 days", or "did not purchased ever". */
export const BehaviourCondition = z
  .object({
    did: z.boolean().describe('true: did the event (as counted); false: did not do it in the window'),
    event: EventName,
    where: z.array(EventCondition).max(20).default([]).describe('Property conditions every counted event meets'),
    count: z
      .object({ op: z.enum(behaviourCountOps), value: z.number().int().min(0).max(1_000_000) })
      .strict()
      .optional()
      .describe('How often (default: at least once)'),
    window: BehaviourWindow,
  })
  .strict();
export type BehaviourCondition = z.infer<typeof BehaviourCondition>;

/** Reachability, with the trait conventions it reads documented on `reachabilityTraits`. */
export const ReachabilityCondition = z
  .object({
    reachable: z.enum(reachabilityKinds),
    matchKeys: z
      .array(z.enum(identifierKeys as unknown as [MatchKey, ...MatchKey[]]))
      .min(1)
      .max(4)
      .optional()
      .describe('For has_match_key: the identifier keys that count (default: e-mail, phone, MADID, external id)'),
    is: z.boolean().default(true).describe('false inverts: "not unsubscribed from e-mail"'),
  })
  .strict();
export type ReachabilityCondition = z.infer<typeof ReachabilityCondition>;

export type SegmentCondition =
  | { all: SegmentCondition[] }
  | { any: SegmentCondition[] }
  | { profile: UserCondition }
  | { behaviour: BehaviourCondition }
  | { reachability: ReachabilityCondition };

/** Conditions combine with all / any, nested as deep as needed (validation allows 4 levels). */
export const SegmentCondition: z.ZodType<SegmentCondition, z.input<z.ZodType<unknown>>> = z
  .lazy(() =>
    z.union([
      z.object({ all: z.array(SegmentCondition).min(1).max(50) }).strict(),
      z.object({ any: z.array(SegmentCondition).min(1).max(50) }).strict(),
      z.object({ profile: UserCondition }).strict(),
      z.object({ behaviour: BehaviourCondition }).strict(),
      z.object({ reachability: ReachabilityCondition }).strict(),
    ]),
  )
  .meta({
    id: 'SegmentCondition',
    description: 'all / any of conditions, or one profile, behaviour or reachability test',
  });

export const SegmentDefinition = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(1000).optional(),
    conditions: SegmentCondition,
  })
  .strict();
export type SegmentDefinition = z.infer<typeof SegmentDefinition>;
export type SegmentDefinitionInput = z.input<typeof SegmentDefinition>;
