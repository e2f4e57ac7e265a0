import { historyNeeded, userKey, type HistoryItem, type ParsedEvent } from '@canvas/canvas';
import { loadHistories, type Tx } from '@canvas/db';
import type { CanvasIndex } from './canvas-index.js';

/**
 * The behaviour history of each user whose track event in this batch triggers a running canvas
 * filtered by a segment: read in the batch's transaction, so it includes the batch's own events.
 */
export async function entrySegmentHistories(
  tx: Tx,
  index: CanvasIndex,
  events: readonly ParsedEvent[],
  now: Date,
): Promise<Map<string, readonly HistoryItem[]>> {
  const wanted = new Map<string, { users: Set<string>; events: Set<string>; since: number }>();
  for (const { event, workspaceId } of events) {
    if (event.type !== 'track' || !event.event) continue;
    for (const canvas of index.triggered(workspaceId, event.event)) {
      const segmentId = canvas.version.definition.entry.inSegment;
      const conditions = segmentId === undefined ? undefined : index.entrySegment(workspaceId, segmentId);
      if (canvas.status !== 'running' || !conditions) continue;
      const needs = historyNeeded(conditions, now);
      const entry = wanted.get(workspaceId) ?? { users: new Set(), events: new Set(), since: Infinity };
      entry.users.add(event.userId);
      for (const name of needs.events) entry.events.add(name);
      entry.since = Math.min(entry.since, needs.since?.getTime() ?? -Infinity);
      wanted.set(workspaceId, entry);
    }
  }
  const histories = new Map<string, readonly HistoryItem[]>();
  for (const [workspaceId, entry] of wanted) {
    const loaded = await loadHistories(tx, workspaceId, [...entry.users], {
      events: [...entry.events],
      since: Number.isFinite(entry.since) ? new Date(entry.since) : null,
    });
    for (const [userId, items] of loaded) histories.set(userKey(workspaceId, userId), items);
  }
  return histories;
}
