import { adsOptedOut, deviceAdvertisingId, type Handoff } from '@canvas/canvas';
import type { CounterDelta, EntryError, NewAudienceEntry } from '@canvas/db';
import { matchRow, withLimitedDataUse } from '@canvas/meta-graph';
import type { CanvasIndex } from './canvas-index.js';

/**
 * Turns Facebook-step hand-offs into durable audience entries with hashed match values: a
 * user who opted out of ads (an add) or without any usable identifier is Not synced at once;
 * each entry is Pending otherwise.
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
    const refused = h.step.action === 'add' && adsOptedOut(h.traits, h.context);
    const status = !target ? 'errored' : row.usable && !refused ? 'pending' : 'not_synced';
    const reason = (code: string, message: string): EntryError => ({ code, message, at: now.toISOString() });
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
      // nothing of an opted-out user is kept for Meta
      values: refused ? [] : sent.values,
      status,
      enteredAt: now,
      deadlineAt: target ? new Date(now.getTime() + retryWindowMs) : now,
      lastError: !target
        ? reason('AUDIENCE_UNRESOLVED', 'the canvas version has no audience for this step')
        : refused
          ? reason('CONSENT', 'the user opted out of ads and data sharing; nothing was sent to Meta')
          : status === 'not_synced'
            ? reason('NO_MATCH_KEYS', `no usable value for any identifier among ${h.step.matchKeys.join(', ')}`)
            : null,
    });
  }
  return { entries, counts };
}
