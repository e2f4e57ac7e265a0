import { sql } from 'kysely';
import type { AudienceStatus, EntryErrorCode } from '@canvas/canvas';
import { removalCounters } from './audience-removal.repository.js';
import type { Executor, Tx } from './connection.js';
import type { CounterDelta } from './counter.repository.js';

export interface AudienceMember {
  canvasId: string;
  stepId: string;
  workspaceId: string;
  userId: string;
  entrySeq: number;
  addedAt: Date;
}

/** Remembers who a following step handed to its audience (the latest entry per user). */
export async function recordAudienceMembers(tx: Executor, members: readonly AudienceMember[]): Promise<void> {
  if (members.length === 0) return;
  await tx
    .insertInto('segment_audience_members')
    .values(
      members.map((m) => ({
        canvas_id: m.canvasId,
        step_id: m.stepId,
        workspace_id: m.workspaceId,
        user_id: m.userId,
        entry_seq: m.entrySeq,
        added_at: m.addedAt,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['canvas_id', 'step_id', 'user_id', 'workspace_id']).doUpdateSet((eb) => ({
        entry_seq: eb.ref('excluded.entry_seq'),
        added_at: eb.ref('excluded.added_at'),
      })),
    )
    .execute();
}

/** Of these users, those in the audience of one of the canvas's following steps. */
export async function audienceMembersAmong(
  tx: Executor,
  canvasId: string,
  stepIds: readonly string[],
  userIds: readonly string[],
): Promise<Set<string>> {
  if (stepIds.length === 0 || userIds.length === 0) return new Set();
  const rows = await tx
    .selectFrom('segment_audience_members')
    .select('user_id')
    .distinct()
    .where('canvas_id', '=', canvasId)
    .where('step_id', 'in', [...stepIds])
    .where('user_id', 'in', [...userIds])
    .execute();
  return new Set(rows.map((r) => r.user_id));
}

// the code a removal gets when its add never reached Meta
const neverAdded: EntryErrorCode = 'NEVER_ADDED';

/**
 * Takes users who stopped qualifying out of the following steps' audiences: each membership
 * becomes a removal hand-off with the hashed values of the add it undoes (Pending; Not synced
 * when the add never reached Meta), counted as Removed apart from the step's adds.
 */
export async function handOffRemovals(
  tx: Tx,
  leaving: { canvasId: string; stepIds: readonly string[]; userIds: readonly string[] },
  now: Date,
  retryWindowMs: number,
): Promise<CounterDelta[]> {
  if (leaving.stepIds.length === 0 || leaving.userIds.length === 0) return [];
  const deadline = new Date(now.getTime() + retryWindowMs).toISOString();
  const rows = await sql<{ workspace_id: string; version: number; step_id: string; status: AudienceStatus }>`
    WITH leaving AS (
      DELETE FROM segment_audience_members m
      WHERE m.canvas_id = ${leaving.canvasId} AND m.step_id = ANY(${[...leaving.stepIds]}::text[])
        AND m.user_id = ANY(${[...leaving.userIds]}::text[])
      RETURNING m.workspace_id, m.canvas_id, m.step_id, m.user_id, m.entry_seq)
    INSERT INTO audience_entries (meta_account_id, ad_account_id, workspace_id, audience_id, action, canvas_id, version,
      step_id, user_id, entry_seq, schema, row_values, status, next_attempt_at, entered_at, deadline_at, last_error,
      origin)
    SELECT a.meta_account_id, a.ad_account_id, a.workspace_id, a.audience_id, 'remove', a.canvas_id, a.version,
      a.step_id, a.user_id, a.entry_seq, a.schema, a.row_values,
      CASE WHEN a.meta_account_id IS NULL THEN 'errored'
        WHEN a.status IN ('not_synced', 'errored') THEN 'not_synced' ELSE 'pending' END,
      ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz, ${deadline}::timestamptz,
      CASE WHEN a.status IN ('not_synced', 'errored') THEN jsonb_build_object('code', ${neverAdded}::text,
        'message', 'the add never reached Meta; there is nothing to remove', 'at', ${now.toISOString()}::text) END,
      'segment_exit'
    FROM leaving l JOIN audience_entries a ON a.workspace_id = l.workspace_id AND a.canvas_id = l.canvas_id
      AND a.step_id = l.step_id AND a.user_id = l.user_id AND a.entry_seq = l.entry_seq AND a.action = 'add'
    ON CONFLICT DO NOTHING
    RETURNING workspace_id, version, step_id, status`.execute(tx);
  return removalCounters(
    rows.rows.map((r) => ({
      workspaceId: r.workspace_id,
      canvasId: leaving.canvasId,
      version: r.version,
      stepId: r.step_id,
      status: r.status,
    })),
    'segment_exit',
  );
}
