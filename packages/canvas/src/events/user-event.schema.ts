import { z } from 'zod';

const Id = z.union([z.string(), z.number().finite()]).transform(String).pipe(z.string().trim().min(1).max(200));
const Json = z.record(z.string(), z.unknown());
/** An object, or nothing: `null` and absent mean the same to Segment's libraries. */
const JsonOrNull = z.union([Json, z.null()]).transform((v) => v ?? {});
/** Metadata the engine reads when it is usable and ignores when it is not. */
const Lenient = Json.optional().catch(undefined);

/**
 * Segment's context block. The engine reads `traits`, `app`, `os` and `device`; everything
 * else (`library`, `page`, `ip`, `userAgent`, `locale`, `campaign`, …) passes through unread.
 */
const Context = z.object({ traits: Lenient, app: Lenient, os: Lenient, device: Lenient }).loose();

/**
 * Fields every Segment call may carry. Only `messageId`, `userId` and the timestamps are read;
 * metadata (`version` in any form, `channel`, `integrations`, `anonymousId`, `sentAt`,
 * `receivedAt`, …) is accepted whatever its shape.
 */
const common = {
  messageId: Id,
  userId: Id,
  timestamp: z.union([z.string(), z.number()]).optional(),
  originalTimestamp: z.union([z.string(), z.number()]).optional().catch(undefined),
  context: Context.optional().catch(undefined),
  workspaceId: z.string().optional(),
};

/** `identify`: merges traits into the user's profile. */
export const IdentifyMessage = z
  .object({ type: z.literal('identify'), traits: JsonOrNull.default({}), ...common })
  .loose();

/** `track`: an action the user took. */
export const TrackMessage = z
  .object({
    type: z.literal('track'),
    event: z.string().trim().min(1).max(200),
    properties: JsonOrNull.default({}),
    ...common,
  })
  .loose();

export type IdentifyMessage = z.infer<typeof IdentifyMessage>;
export type TrackMessage = z.infer<typeof TrackMessage>;
