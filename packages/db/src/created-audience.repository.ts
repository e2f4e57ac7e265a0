import { sql } from 'kysely';
import type { Executor } from './connection.js';

/** An audience a canvas of the workspace created, and the steps that send to it. */
export interface CreatedAudience {
  audienceId: string;
  audienceName: string | null;
  canvasId: string;
  canvasName: string;
  stepIds: string[];
  firstVersion: number;
}

/**
 * The audiences the workspace's canvases created in one ad account, newest canvas first, from
 * what each version resolved at launch or at "Create audiences".
 */
export async function createdAudiencesOfAccount(
  db: Executor,
  workspaceId: string,
  adAccountId: string,
  limit: number,
): Promise<CreatedAudience[]> {
  const rows = await sql<{
    audience_id: string;
    audience_name: string | null;
    canvas_id: string;
    canvas_name: string;
    step_ids: string[];
    first_version: number;
  }>`
    SELECT target.value->>'audienceId' AS audience_id,
           max(target.value->>'audienceName') AS audience_name,
           c.id AS canvas_id,
           c.name AS canvas_name,
           array_agg(DISTINCT target.key ORDER BY target.key) AS step_ids,
           min(v.version) AS first_version
      FROM canvases c
      JOIN canvas_versions v ON v.workspace_id = c.workspace_id AND v.canvas_id = c.id
      CROSS JOIN LATERAL jsonb_each(v.resolved) AS target
     WHERE c.workspace_id = ${workspaceId}
       AND target.value->>'adAccountId' = ${adAccountId}
       AND (target.value->>'created')::boolean
     GROUP BY 1, c.id, c.name
     ORDER BY max(c.created_at) DESC, 1
     LIMIT ${limit}`.execute(db);
  return rows.rows.map((r) => ({
    audienceId: r.audience_id,
    audienceName: r.audience_name,
    canvasId: r.canvas_id,
    canvasName: r.canvas_name,
    stepIds: r.step_ids,
    firstVersion: Number(r.first_version),
  }));
}
