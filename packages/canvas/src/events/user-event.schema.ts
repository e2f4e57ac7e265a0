import { z } from 'zod';

const Id = z.string().trim().min(1).max(200);
const Json = z.record(z.string(), z.unknown());

/** Segment's context block, as far as the engine reads it. */
const Context = z
  .object({
    traits: Json.optional(),
    app: Json.optional(),
    os: Json.optional(),
    device: Json.optional(),
  })
  .loose();

const common = {
  messageId: Id,
  userId: Id,
  /** Segment's spec version; 1 and 2 are accepted. */
  version: z.union([z.literal(1), z.literal(2)]).optional(),
  timestamp: z.union([z.string(), z.number()]).optional(),
  context: Context.optional(),
  workspaceId: z.string().optional(),
};

/** `identify`: merges traits into the user's profile. */
export const IdentifyMessage = z.object({ type: z.literal('identify'), traits: Json.default({}), ...common }).loose();

/** `track`: an action the user took. */
export const TrackMessage = z.object({ type: z.literal('track'), event: z.string().trim().min(1).max(200), properties: Json.default({}), ...common }).loose();

export type IdentifyMessage = z.infer<typeof IdentifyMessage>;
export type TrackMessage = z.infer<typeof TrackMessage>;
