import { sql, type Selectable } from 'kysely';
import type { CandidateFilter, CountedBehaviour, SegmentCondition } from '@canvas/canvas';
import type { Executor, Tx } from './connection.js';
import { toProfile, type ProfileRow, type StoredProfile } from './profile.repository.js';
import type { SegmentRunStatus, SegmentRunsTable } from './schema.js';
import { candidateCondition } from './segment-scan.repository.js';
import { collectCounts, countedKey, countsOf, narrowedByCounts } from './segment-counts.repository.js';

export interface SegmentRunRecord {
  canvasId: string;
  scheduledAt: Date;
  version: number;
  status: SegmentRunStatus;
  startedAt: Date | null;
  finishedAt: Date | null;
  cursor: string | null;
  candidates: number | null;
  evaluated: number;
  members: number;
  entered: number;
  removed: number;
  /** What the run counted for every candidate when it started (see `countedKey`), or null. */
  counted: string | null;
}

/** An open run with what processing it needs to know about its canvas. */
export interface ClaimedRun extends SegmentRunRecord {
  workspaceId: string;
  canvasStatus: string;
}

type RunRow = Selectable<SegmentRunsTable>;

const toRun = (r: RunRow): SegmentRunRecord => ({
  canvasId: r.canvas_id,
  scheduledAt: r.scheduled_at,
  version: r.version,
  status: r.status,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  cursor: r.cursor,
  candidates: r.candidates,
  evaluated: r.evaluated,
  members: r.members,
  entered: r.entered,
  removed: r.removed,
  counted: r.counted,
});

/** Records a due run; several runners may try, one row results. */
export async function scheduleSegmentRun(
  db: Executor,
  run: { workspaceId: string; canvasId: string; scheduledAt: Date; version: number },
): Promise<void> {
  await db
    .insertInto('segment_runs')
    .values({
      workspace_id: run.workspaceId,
      canvas_id: run.canvasId,
      scheduled_at: run.scheduledAt,
      version: run.version,
      status: 'pending',
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** The latest run time recorded per canvas. */
export async function lastSegmentRuns(db: Executor, canvasIds: readonly string[]): Promise<Map<string, Date>> {
  if (canvasIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('segment_runs')
    .select(['canvas_id', (eb) => eb.fn.max('scheduled_at').as('last')])
    .where('canvas_id', 'in', [...canvasIds])
    .groupBy('canvas_id')
    .execute();
  return new Map(rows.map((r) => [r.canvas_id, r.last]));
}

/** Workspaces with a due open run of a running (or archived) canvas: a lock-free read. */
export async function workspacesWithOpenRuns(db: Executor, now: Date): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    SELECT w.id FROM workspaces w
    WHERE w.id IN (
      SELECT r.workspace_id FROM segment_runs r
      JOIN canvases c ON c.workspace_id = r.workspace_id AND c.id = r.canvas_id
      WHERE r.status <> 'finished' AND r.scheduled_at <= ${now.toISOString()}::timestamptz
        AND c.status IN ('running', 'archived'))
    ORDER BY w.id`.execute(db);
  return rows.rows.map((r) => r.id);
}

/** The workspace's oldest open run of a running canvas that no other runner holds, locked for this transaction. */
export async function claimOpenRun(tx: Tx, workspaceId: string, now: Date): Promise<ClaimedRun | undefined> {
  const rows = await sql<RunRow & { workspace_id: string; canvas_status: string }>`
    SELECT r.*, c.workspace_id, c.status AS canvas_status FROM segment_runs r
    JOIN canvases c ON c.workspace_id = r.workspace_id AND c.id = r.canvas_id
    WHERE r.workspace_id = ${workspaceId} AND r.status <> 'finished'
      AND r.scheduled_at <= ${now.toISOString()}::timestamptz AND c.status IN ('running', 'archived')
    ORDER BY r.scheduled_at LIMIT 1
    FOR UPDATE OF r SKIP LOCKED`.execute(tx);
  const row = rows.rows[0];
  return row && { ...toRun(row), workspaceId: row.workspace_id, canvasStatus: row.canvas_status };
}

/** What a run counts from the rollup for every candidate when it starts (absent: its slices read history). */
export interface RunCounting {
  condition: SegmentCondition;
  counted: readonly CountedBehaviour[];
}

/**
 * Collects a run's candidates in one statement and marks it running; returns how many. A canvas
 * whose audience follows the segment also looks at everyone in that audience, to find who left.
 * With `counting`, the behaviours are counted for every candidate here (one hashed pass over
 * the rollup) and kept beside it, and the candidates are narrowed by those counts. Written in
 * user order, as the slices read them: the key grows at its right edge and a slice's rows lie
 * together.
 */
export async function materialiseRun(
  tx: Tx,
  run: { canvasId: string; scheduledAt: Date; workspaceId: string },
  filter: CandidateFilter | null,
  startedAt: Date,
  follows: boolean,
  counting?: RunCounting,
): Promise<number> {
  const audience = follows
    ? sql` OR p.user_id IN (SELECT user_id FROM segment_audience_members
        WHERE workspace_id = ${run.workspaceId} AND canvas_id = ${run.canvasId})`
    : sql``;
  if (counting) await collectCounts(tx, run.workspaceId, counting.counted);
  const inserted = counting
    ? await sql`
      INSERT INTO segment_run_candidates (canvas_id, scheduled_at, workspace_id, user_id, counts)
      SELECT ${run.canvasId}::uuid, ${run.scheduledAt.toISOString()}::timestamptz, p.workspace_id, p.user_id,
        ${countsOf(counting.counted)}
      FROM user_profiles p LEFT JOIN segment_counts c ON c.user_id = p.user_id
      WHERE p.workspace_id = ${run.workspaceId}
        AND (${narrowedByCounts(counting.condition, counting.counted)}${audience})
      ORDER BY p.user_id`.execute(tx)
    : await sql`
      INSERT INTO segment_run_candidates (canvas_id, scheduled_at, workspace_id, user_id)
      SELECT ${run.canvasId}::uuid, ${run.scheduledAt.toISOString()}::timestamptz, p.workspace_id, p.user_id
      FROM user_profiles p
      WHERE p.workspace_id = ${run.workspaceId}
        AND (${candidateCondition(run.workspaceId, filter)}${audience})
      ORDER BY p.user_id`.execute(tx);
  const candidates = Number(inserted.numAffectedRows ?? 0n);
  await tx
    .updateTable('segment_runs')
    .set({
      status: 'running',
      started_at: startedAt,
      candidates,
      counted: counting ? countedKey(counting.counted) : null,
    })
    .where('canvas_id', '=', run.canvasId)
    .where('scheduled_at', '=', run.scheduledAt)
    .execute();
  return candidates;
}

/** A slice of a run: the profiles, locked, and the counts kept for them when the run counted (else null). */
export interface RunSlice {
  profiles: StoredProfile[];
  counts: Map<string, number[]> | null;
}

/** The next slice of a run's candidates after its cursor (one workspace), their profiles locked in user order. */
export async function lockNextCandidates(
  tx: Tx,
  run: { workspaceId: string; canvasId: string; scheduledAt: Date; cursor: string | null },
  limit: number,
): Promise<RunSlice> {
  const rows = await sql<ProfileRow & { counts: number[] | null }>`
    SELECT p.*, c.counts FROM segment_run_candidates c
    JOIN user_profiles p ON p.workspace_id = c.workspace_id AND p.user_id = c.user_id
    WHERE c.workspace_id = ${run.workspaceId} AND c.canvas_id = ${run.canvasId}
      AND c.scheduled_at = ${run.scheduledAt.toISOString()}::timestamptz
      AND c.user_id > ${run.cursor ?? ''}
    ORDER BY c.user_id LIMIT ${limit}
    FOR UPDATE OF p`.execute(tx);
  const counted = rows.rows.every((r) => r.counts !== null);
  return {
    profiles: rows.rows.map(toProfile),
    counts: counted && rows.rows.length > 0 ? new Map(rows.rows.map((r) => [r.user_id, r.counts!])) : null,
  };
}

/** Moves a run's cursor past a slice and adds its tallies; the last slice finishes it and drops its candidates. */
export async function advanceRun(
  tx: Tx,
  run: { canvasId: string; scheduledAt: Date },
  slice: {
    cursor: string | null;
    evaluated: number;
    members: number;
    entered: number;
    removed: number;
    finishedAt: Date | null;
  },
): Promise<void> {
  await sql`
    UPDATE segment_runs SET
      cursor = coalesce(${slice.cursor}, cursor),
      evaluated = evaluated + ${slice.evaluated},
      members = members + ${slice.members},
      entered = entered + ${slice.entered},
      removed = removed + ${slice.removed},
      status = CASE WHEN ${slice.finishedAt !== null} THEN 'finished' ELSE status END,
      finished_at = ${slice.finishedAt?.toISOString() ?? null}::timestamptz
    WHERE canvas_id = ${run.canvasId} AND scheduled_at = ${run.scheduledAt.toISOString()}::timestamptz`.execute(tx);
  if (slice.finishedAt !== null)
    await tx
      .deleteFrom('segment_run_candidates')
      .where('canvas_id', '=', run.canvasId)
      .where('scheduled_at', '=', run.scheduledAt)
      .execute();
}

/** A canvas's runs, newest first. */
export async function listSegmentRuns(db: Executor, canvasId: string, limit: number): Promise<SegmentRunRecord[]> {
  const rows = await db
    .selectFrom('segment_runs')
    .selectAll()
    .where('canvas_id', '=', canvasId)
    .orderBy('scheduled_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRun);
}
