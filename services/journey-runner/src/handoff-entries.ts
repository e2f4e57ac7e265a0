import {
  adsOptedOut,
  deviceAdvertisingId,
  handoffOutcome,
  noLookalikeValueMetric,
  traitText,
  type Handoff,
} from '@canvas/canvas';
import type { CounterDelta, NewAudienceEntry } from '@canvas/db';
import { lookalikeValue, matchRow, withLimitedDataUse, withLookalikeValue } from '@canvas/meta-graph';
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
    const withLdu = withLimitedDataUse(h.step.matchKeys, row.values, h.traits);
    // a value-based audience's rows carry LOOKALIKE_VALUE; a removal without one goes as 0 (decision 35)
    const valueTrait = target?.valueTrait;
    const value = valueTrait === undefined ? undefined : lookalikeValue(traitText(h.traits, valueTrait));
    const sent = valueTrait === undefined ? withLdu : withLookalikeValue(withLdu, value ?? '');
    const { status, reason, keepValues } = handoffOutcome({
      audienceResolved: target !== undefined,
      usable: row.usable,
      action: h.step.action,
      optedOut: adsOptedOut(h.traits, h.context),
      matchKeys: h.step.matchKeys,
      value: valueTrait === undefined ? undefined : { trait: valueTrait, usable: value !== null },
    });
    const step = { workspaceId: h.workspaceId, canvasId: h.canvasId, version: h.version, stepId: h.step.id };
    counts.push({ ...step, metric: status, delta: 1 });
    if (reason?.code === 'NO_LOOKALIKE_VALUE') counts.push({ ...step, metric: noLookalikeValueMetric, delta: 1 });
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
