import { adsOptedOut, deviceAdvertisingId, handoffOutcome, type Handoff } from '@canvas/canvas';
import type { CounterDelta, NewAudienceEntry } from '@canvas/db';
import { matchRow, withLimitedDataUse } from '@canvas/meta-graph';
import type { CanvasIndex } from './canvas-index.js';

/**
 * Turns Facebook-step hand-offs into durable audience entries with hashed match values;
 * the engine decides each status.
 */
export function handoffEntries(
  handoffs: readonly Handoff[],
  index: CanvasIndex,
  now: Date,
  retryWindowMs: number,
): { entries: NewAudienceEntry[]; counts: CounterDelta[] } {
  const entries: NewAudienceEntry[] = [];
  const counts: CounterDelta[] = [];
  for (const h of handoffs) {
    // launch resolves every Facebook step; no target means the version's data is damaged
    const target = index.resolved(h.canvasId, h.version)?.[h.step.id];
    const advertisingId = deviceAdvertisingId(h.context);
    const row = matchRow(h.step.matchKeys, { userId: h.userId, traits: h.traits, advertisingId }, now.getUTCFullYear());
    // users whose consent asks for Limited Data Use carry Meta's data-processing columns
    const sent = withLimitedDataUse(h.step.matchKeys, row.values, h.traits);
    const { status, reason, keepValues } = handoffOutcome({
      audienceResolved: target !== undefined,
      usable: row.usable,
      action: h.step.action,
      optedOut: adsOptedOut(h.traits, h.context),
      matchKeys: h.step.matchKeys,
    });
    counts.push({ canvasId: h.canvasId, version: h.version, stepId: h.step.id, metric: status, delta: 1 });
    entries.push({
      metaAccountId: target?.metaAccountId ?? null,
      adAccountId: target?.adAccountId ?? null,
      audienceId: target?.audienceId ?? null,
      workspaceId: h.workspaceId,
      action: h.step.action,
      canvasId: h.canvasId,
      version: h.version,
      stepId: h.step.id,
      userId: h.userId,
      entrySeq: h.entrySeq,
      schema: sent.schema,
      values: keepValues ? sent.values : [],
      status,
      enteredAt: now,
      deadlineAt: target ? new Date(now.getTime() + retryWindowMs) : now,
      lastError: reason ? { ...reason, at: now.toISOString() } : null,
    });
  }
  return { entries, counts };
}
