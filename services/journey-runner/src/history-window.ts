import type { HistoryEvent } from '@canvas/db';
import type { ParsedEvent } from '@canvas/canvas';

const dayMs = 86_400_000;
/** Days of partitions kept ahead of today, for events stamped slightly in the future. */
export const historyDaysAhead = 3;

/**
 * The applied track events the history records: those whose day has a partition with a day's
 * margin on each side, so a partition dropped or not yet created at midnight is never written to.
 */
export function historyEvents(
  applied: readonly ParsedEvent[],
  now: Date,
  retentionMs: number,
): { record: HistoryEvent[]; skipped: number } {
  const from = Math.floor((now.getTime() - retentionMs) / dayMs) * dayMs + dayMs;
  const until = Math.floor(now.getTime() / dayMs) * dayMs + historyDaysAhead * dayMs;
  const record: HistoryEvent[] = [];
  let skipped = 0;
  for (const { workspaceId, event } of applied) {
    if (event.type !== 'track' || event.event === undefined) continue;
    const at = event.timestamp.getTime();
    if (at < from || at >= until) {
      skipped += 1;
      continue;
    }
    record.push({
      workspaceId,
      userId: event.userId,
      event: event.event,
      occurredAt: event.timestamp,
      messageId: event.messageId,
      properties: { ...event.properties },
    });
  }
  return { record, skipped };
}
