import { sql } from 'kysely';
import { statusMetric, type AudienceStatus, type EntryOrigin } from '@canvas/canvas';
import type { Tx } from './connection.js';
import type { CounterDelta } from './counter.repository.js';

/** What handing off removals moves: `removed`, and the removals' status counter, per step. */
export const removalCounters = (
  removals: readonly {
    workspaceId: string;
    canvasId: string;
    version: number;
    stepId: string;
    status: AudienceStatus;
  }[],
  origin: Exclude<EntryOrigin, 'step'>,
): CounterDelta[] =>
  removals.flatMap(({ workspaceId, canvasId, version, stepId, status }): CounterDelta[] => [
    { workspaceId, canvasId, version, stepId, metric: 'removed', delta: 1 },
    { workspaceId, canvasId, version, stepId, metric: statusMetric(status, origin), delta: 1 },
  ]);

/**
 * Hands the sync a removal of each of `userIds` (as their hand-offs are stored) from every Meta
 * audience the workspace added them to: one per audience, from the latest add that reached Meta
 * or may be on its way, with the match values stored for it. The removal waits while that add is
 * pending, so Meta sees them in order. A removal already handed off for the same add serves too.
 */
export async function handOffRemovalsEverywhere(
  tx: Tx,
  request: {
    workspaceId: string;
    userIds: readonly string[];
    origin: Exclude<EntryOrigin, 'step' | 'segment_exit'>;
    now: Date;
    retryWindowMs: number;
  },
): Promise<CounterDelta[]> {
  if (request.userIds.length === 0) return [];
  const { now } = request;
  const deadline = new Date(now.getTime() + request.retryWindowMs);
  const rows = await sql<{ canvas_id: string; version: number; step_id: string }>`
    INSERT INTO audience_entries (meta_account_id, ad_account_id, workspace_id, audience_id, action, canvas_id, version,
      step_id, user_id, entry_seq, schema, row_values, status, next_attempt_at, entered_at, deadline_at, origin,
      updated_at)
    SELECT DISTINCT ON (user_id, meta_account_id, audience_id)
      meta_account_id, ad_account_id, workspace_id, audience_id,
      'remove', canvas_id, version, step_id, user_id, entry_seq, schema, row_values, 'pending', ${now}, ${now},
      ${deadline}, ${request.origin}, ${now}
    FROM audience_entries
    WHERE workspace_id = ${request.workspaceId} AND user_id = ANY(${[...request.userIds]}::text[]) AND action = 'add'
      AND status IN ('pending', 'synced') AND meta_account_id IS NOT NULL
    ORDER BY user_id, meta_account_id, audience_id, id DESC
    ON CONFLICT DO NOTHING
    RETURNING canvas_id, version, step_id`.execute(tx);
  return removalCounters(
    rows.rows.map((r) => ({
      workspaceId: request.workspaceId,
      canvasId: r.canvas_id,
      version: r.version,
      stepId: r.step_id,
      status: 'pending',
    })),
    request.origin,
  );
}

/**
 * Users who opted out of ads: removed from every audience they were added to, and no longer
 * members of any followed segment's audience (a later run re-enters them Not synced CONSENT).
 */
export async function handOffOptOutRemovals(
  tx: Tx,
  request: { workspaceId: string; userIds: readonly string[]; now: Date; retryWindowMs: number },
): Promise<CounterDelta[]> {
  if (request.userIds.length === 0) return [];
  await sql`DELETE FROM segment_audience_members
    WHERE workspace_id = ${request.workspaceId} AND user_id = ANY(${[...request.userIds]}::text[])`.execute(tx);
  return handOffRemovalsEverywhere(tx, { ...request, origin: 'consent' });
}
