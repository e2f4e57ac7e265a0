import { sql } from 'kysely';
import { liveCanvasStatuses, type CanvasStatus, type SegmentCondition, type SegmentDefinition } from '@canvas/canvas';
import type { Executor } from './connection.js';
import type { Selectable } from 'kysely';
import type { SegmentsTable } from './schema.js';

export interface SegmentRecord {
  id: string;
  workspaceId: string;
  name: string;
  description: string | null;
  conditions: SegmentCondition;
  createdAt: Date;
  updatedAt: Date;
}

const toSegment = (row: Selectable<SegmentsTable>): SegmentRecord => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  description: row.description,
  conditions: row.conditions as SegmentCondition,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export async function insertSegment(
  db: Executor,
  segment: { id: string; workspaceId: string; definition: SegmentDefinition; now: Date },
): Promise<SegmentRecord> {
  const { name, description, conditions } = segment.definition;
  const row = await db
    .insertInto('segments')
    .values({
      id: segment.id,
      workspace_id: segment.workspaceId,
      name,
      description: description ?? null,
      conditions: JSON.stringify(conditions),
      created_at: segment.now,
      updated_at: segment.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSegment(row);
}

export async function findSegment(db: Executor, workspaceId: string, id: string): Promise<SegmentRecord | undefined> {
  const row = await db
    .selectFrom('segments')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toSegment(row);
}

/** The segments with these ids, whatever their workspace (the caller checks it). */
export async function segmentsByIds(db: Executor, ids: readonly string[]): Promise<SegmentRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('segments')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
  return rows.map(toSegment);
}

/** A page of a workspace's segments, newest first; the cursor is the last item's id. */
export async function listSegments(
  db: Executor,
  workspaceId: string,
  page: { limit: number; after?: string | undefined },
): Promise<SegmentRecord[]> {
  let query = db.selectFrom('segments').selectAll().where('workspace_id', '=', workspaceId);
  if (page.after) {
    const after = page.after;
    query = query.where((eb) =>
      eb(
        eb.tuple(eb.ref('created_at'), eb.ref('id')),
        '<',
        eb.tuple(
          eb
            .selectFrom('segments')
            .select('created_at')
            .where('id', '=', after)
            .where('workspace_id', '=', workspaceId),
          eb.val(after),
        ),
      ),
    );
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
  return rows.map(toSegment);
}

export async function updateSegment(
  db: Executor,
  workspaceId: string,
  id: string,
  definition: SegmentDefinition,
  now: Date,
): Promise<SegmentRecord | undefined> {
  const row = await db
    .updateTable('segments')
    .set({
      name: definition.name,
      description: definition.description ?? null,
      conditions: JSON.stringify(definition.conditions),
      updated_at: now,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toSegment(row);
}

export async function deleteSegment(db: Executor, workspaceId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('segments')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Running or paused canvases whose live version enters this segment or filters entries by it. */
export async function canvasesUsingSegment(
  db: Executor,
  workspaceId: string,
  segmentId: string,
): Promise<{ id: string; name: string; status: CanvasStatus }[]> {
  const rows = await sql<{ id: string; name: string; status: CanvasStatus }>`
    SELECT c.id, c.name, c.status FROM canvases c
    JOIN canvas_versions v ON v.workspace_id = c.workspace_id AND v.canvas_id = c.id AND v.version = c.live_version
    WHERE c.workspace_id = ${workspaceId} AND c.status = ANY(${[...liveCanvasStatuses]}::text[])
      AND ${segmentId} IN (v.definition #>> '{entry,segment,segmentId}', v.definition #>> '{entry,inSegment}')
    ORDER BY c.name`.execute(db);
  return rows.rows;
}
