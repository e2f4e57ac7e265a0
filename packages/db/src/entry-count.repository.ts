import { sql } from 'kysely';
import type { Executor, Tx } from './connection.js';

/** Locks the entry counts of capped canvases (in id order) and returns them. */
export async function lockEntryCounts(tx: Tx, canvasIds: readonly string[]): Promise<Map<string, number>> {
  if (canvasIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('canvas_entry_counts')
    .select(['canvas_id', 'entrants'])
    .where('canvas_id', 'in', [...canvasIds].sort())
    .orderBy('canvas_id')
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.canvas_id, Number(r.entrants)]));
}

export async function addEntrants(tx: Executor, entrants: ReadonlyMap<string, number>): Promise<void> {
  for (const [canvasId, count] of [...entrants].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await tx
      .updateTable('canvas_entry_counts')
      .set({ entrants: sql<string>`entrants + ${count}` })
      .where('canvas_id', '=', canvasId)
      .execute();
  }
}
