import { sql } from 'kysely';
import type { Executor } from './connection.js';

/** One canvas step's hand-offs to a Meta account over a span of time. */
export interface StepLoad {
  canvasId: string;
  stepId: string;
  action: 'add' | 'remove';
  /** Users handed to the sync for Meta (those refused before Meta, for consent or keys, are not). */
  users: number;
  /** Requests the sync needed for them: per batch window holding any, one per `usersPerRequest`. */
  requests: number;
}

/**
 * What the canvases of a Meta account handed to the sync since `since`, per step, with the
 * requests that took: the same arithmetic as a dry run's projection, on what really happened.
 */
export async function recentStepLoads(
  db: Executor,
  metaAccountId: string,
  since: Date,
  batching: { batchWindowMs: number; usersPerRequest: number },
): Promise<StepLoad[]> {
  const rows = await sql<{
    canvas_id: string;
    step_id: string;
    action: 'add' | 'remove';
    users: number;
    requests: number;
  }>`
    SELECT canvas_id, step_id, action, sum(n)::float8 AS users,
      sum(ceil(n / ${batching.usersPerRequest}::float8))::float8 AS requests
    FROM (
      SELECT canvas_id, step_id, action, audience_id,
        floor(extract(epoch FROM entered_at) * 1000 / ${batching.batchWindowMs}) AS tick, count(*) AS n
      FROM audience_entries
      WHERE meta_account_id = ${metaAccountId} AND entered_at >= ${since.toISOString()}::timestamptz
        AND NOT (status = 'not_synced' AND sent_at IS NULL)
      GROUP BY canvas_id, step_id, action, audience_id, tick
    ) ticks
    GROUP BY canvas_id, step_id, action
    ORDER BY canvas_id, step_id, action`.execute(db);
  return rows.rows.map((r) => ({
    canvasId: r.canvas_id,
    stepId: r.step_id,
    action: r.action,
    users: r.users,
    requests: r.requests,
  }));
}

/** Users pending for a Meta account, per step, and when the longest-waiting of them was handed off. */
export async function pendingStepLoads(
  db: Executor,
  metaAccountId: string,
): Promise<{ canvasId: string; stepId: string; action: 'add' | 'remove'; users: number; oldest: Date }[]> {
  const rows = await sql<{ canvas_id: string; step_id: string; action: 'add' | 'remove'; users: string; oldest: Date }>`
    SELECT canvas_id, step_id, action, count(*) AS users, min(entered_at) AS oldest
    FROM audience_entries
    WHERE meta_account_id = ${metaAccountId} AND status = 'pending'
    GROUP BY canvas_id, step_id, action
    ORDER BY canvas_id, step_id, action`.execute(db);
  return rows.rows.map((r) => ({
    canvasId: r.canvas_id,
    stepId: r.step_id,
    action: r.action,
    users: Number(r.users),
    oldest: r.oldest,
  }));
}
