import type { SeededUser } from './behaviour.ts';

export interface ShopperMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * The shoppers as a producer would send them: an identify with the traits, then each track
 * event stamped with the time it happened; topped up with page views to exactly `total` messages.
 */
export function shopperMessages(users: readonly SeededUser[], workspaceId: string, total: number): ShopperMessage[] {
  const send = (userId: string, body: Record<string, unknown>): ShopperMessage => ({
    key: userId,
    value: JSON.stringify({ userId, ...body }),
    headers: { 'workspace-id': workspaceId },
  });
  const messages = users.flatMap((u) => [
    send(u.userId, { type: 'identify', messageId: `${u.userId}-identify`, traits: u.traits }),
    ...u.events.map((e, i) =>
      send(u.userId, {
        type: 'track',
        messageId: `${u.userId}-${i}`,
        event: e.event,
        timestamp: e.at.toISOString(),
        properties: e.properties ?? {},
      }),
    ),
  ]);
  if (messages.length > total) throw new Error(`${messages.length} messages already, more than ${total}`);
  const start = users[0]?.events[0]?.at ?? new Date();
  for (let i = 0; messages.length < total; i += 1) {
    const user = users[i % users.length]!;
    messages.push(
      send(user.userId, {
        type: 'track',
        messageId: `${user.userId}-view-${i}`,
        event: 'page_viewed',
        timestamp: start.toISOString(),
      }),
    );
  }
  return messages;
}
