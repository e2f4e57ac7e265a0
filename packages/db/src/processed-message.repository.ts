import { sql } from 'kysely';
import { messageKey } from '@canvas/canvas';
import type { Executor } from './connection.js';
import { type UserRef } from './user-ref.js';

/** Records message ids; returns the `messageKey`s seen for the first time. */
export async function markProcessed(
  tx: Executor,
  messages: readonly (UserRef & { messageId: string })[],
): Promise<Set<string>> {
  if (messages.length === 0) return new Set();
  const rows = await sql<{ workspace_id: string; user_id: string; message_id: string }>`
    INSERT INTO processed_messages (workspace_id, user_id, message_id)
    SELECT * FROM unnest(
      ${messages.map((m) => m.workspaceId)}::uuid[], ${messages.map((m) => m.userId)}::text[],
      ${messages.map((m) => m.messageId)}::text[])
    ON CONFLICT DO NOTHING
    RETURNING workspace_id, user_id, message_id`.execute(tx);
  return new Set(rows.rows.map((r) => messageKey(r.workspace_id, r.user_id, r.message_id)));
}

/** Forgets message ids older than the retention, a slice at a time. */
export async function pruneProcessedMessages(db: Executor, olderThan: Date, limit: number): Promise<number> {
  const result = await sql`
    DELETE FROM processed_messages WHERE (workspace_id, user_id, message_id) IN (
      SELECT workspace_id, user_id, message_id FROM processed_messages
      WHERE processed_at < ${olderThan} LIMIT ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
