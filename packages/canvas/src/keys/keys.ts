/**
 * The one spelling of in-memory keys for users, journeys and messages. Parts are joined with
 * NUL, which stored text can never hold (PostgreSQL refuses it and events carrying it are
 * dead-lettered), so two different tuples can never make the same key.
 */
const separator = '\u0000';

/** A workspace's user. */
export const userKey = (workspaceId: string, userId: string) => `${workspaceId}${separator}${userId}`;

/** A user's journey in one canvas. */
export const journeyKey = (workspaceId: string, userId: string, canvasId: string) =>
  `${workspaceId}${separator}${userId}${separator}${canvasId}`;

/** A message id as a user sent it. */
export const messageKey = (workspaceId: string, userId: string, messageId: string) =>
  `${workspaceId}${separator}${userId}${separator}${messageId}`;

/** A workspace's event name, for trigger lookups. */
export const eventNameKey = (workspaceId: string, eventName: string) => `${workspaceId}${separator}${eventName}`;

/** The parts a key was made of, in order. */
export const keyParts = (key: string): string[] => key.split(separator);

/** Any other tuple used as a map key, e.g. a counter's canvas, version, step and metric. */
export const compositeKey = (...parts: readonly (string | number)[]) => parts.join(separator);
