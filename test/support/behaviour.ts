import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { maintainHistoryPartitions, recordHistory, type Db, type HistoryEvent } from '@canvas/db';

export interface SeededUser {
  userId: string;
  traits: Record<string, unknown>;
  events: { event: string; at: Date; properties?: Record<string, unknown> }[];
}

/** Profiles and behaviour history written straight to the database, as the runner would have kept them. */
export async function seedBehaviour(db: Db, workspaceId: string, users: readonly SeededUser[]): Promise<void> {
  await maintainHistoryPartitions(db, new Date(), 90, 2);
  for (let i = 0; i < users.length; i += 1000) {
    const slice = users.slice(i, i + 1000);
    await db.transaction().execute(async (tx) => {
      await sql`
        INSERT INTO user_profiles (workspace_id, user_id, traits, first_seen_at, last_seen_at)
        SELECT ${workspaceId}::uuid, u, t, now() - interval '60 days', now()
        FROM unnest(
          ${slice.map((u) => u.userId)}::text[], ${slice.map((u) => JSON.stringify(u.traits))}::jsonb[]
        ) AS x(u, t)`.execute(tx);
      const events: HistoryEvent[] = slice.flatMap((u) =>
        u.events.map((e) => ({
          workspaceId,
          userId: u.userId,
          event: e.event,
          occurredAt: e.at,
          messageId: randomUUID(),
          properties: e.properties ?? {},
        })),
      );
      await recordHistory(tx, events);
    });
  }
}
