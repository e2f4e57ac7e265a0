import { sql } from 'kysely';
import { messageKey } from '@canvas/canvas';
import type { Executor } from './connection.js';
import { type UserRef } from './user-ref.js';

/**
 * Records message ids; returns the `messageKey`s seen for the first time. Only the ids seen
 * before come back from the database (almost always none), not every one recorded.
 */
export async function markProcessed(
  tx: Executor,
  messages: readonly (UserRef & { messageId: string })[],
): Promise<Set<string>> {
  if (messages.length === 0) return new Set();
  const rows = await sql<{ workspace_id: string; user_id: string; message_id: string }>`
    WITH k AS (
      SELECT * FROM unnest(
        ${messages.map((m) => m.workspaceId)}::uuid[], ${messages.map((m) => m.userId)}::text[],
        ${messages.map((m) => m.messageId)}::text[]) AS k(w, u, m)
    ), fresh AS (
      INSERT INTO processed_messages (workspace_id, user_id, message_id)
      SELECT w, u, m FROM k
      ON CONFLICT DO NOTHING
      RETURNING workspace_id, user_id, message_id
    )
    SELECT DISTINCT k.w AS workspace_id, k.u AS user_id, k.m AS message_id FROM k
    WHERE NOT EXISTS (
      SELECT 1 FROM fresh f WHERE f.workspace_id = k.w AND f.user_id = k.u AND f.message_id = k.m)`.execute(tx);
  const seen = new Set(rows.rows.map((r) => messageKey(r.workspace_id, r.user_id, r.message_id)));
  const fresh = new Set<string>();
  for (const m of messages) {
    const key = messageKey(m.workspaceId, m.userId, m.messageId);
    if (!seen.has(key)) fresh.add(key);
  }
  return fresh;
}

/** Forgets message ids older than the retention, a slice at a time. */
export async function pruneProcessedMessages(db: Executor, olderThan: Date, limit: number): Promise<number> {
  const result = await sql`
    DELETE FROM processed_messages WHERE (workspace_id, user_id, message_id) IN (
      SELECT workspace_id, user_id, message_id FROM processed_messages
      WHERE processed_at < ${olderThan} LIMIT ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
