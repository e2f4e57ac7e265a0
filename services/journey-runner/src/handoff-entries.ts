import type { Handoff } from '@canvas/canvas';
import type { CounterDelta, NewAudienceEntry } from '@canvas/db';
import { matchRow } from '@canvas/meta-graph';
import type { CanvasIndex } from './canvas-index.js';

/**
 * Turns Facebook-step hand-offs into durable audience entries with hashed match values: a
 * user without any usable identifier is Not synced at once; each entry is Pending otherwise.
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
    const target = index.resolved(h.canvasId, h.version)?.[h.step.id];
    const device = h.context.device as { advertisingId?: unknown } | undefined;
    const row = matchRow(
      h.step.matchKeys,
      {
        userId: h.userId,
        traits: h.traits,
        advertisingId: typeof device?.advertisingId === 'string' ? device.advertisingId : undefined,
      },
      now.getUTCFullYear(),
    );
    const status = !target ? 'errored' : row.usable ? 'pending' : 'not_synced';
    counts.push({ canvasId: h.canvasId, version: h.version, stepId: h.step.id, metric: status, delta: 1 });
    if (!target) {
      // launch resolves every Facebook step; reaching this means the version's data is damaged
      entries.push({
        metaAccountId: null,
        adAccountId: null,
        workspaceId: h.workspaceId,
        audienceId: null,
        action: h.step.action,
        canvasId: h.canvasId,
        version: h.version,
        stepId: h.step.id,
        userId: h.userId,
        entrySeq: h.entrySeq,
        schema: [...h.step.matchKeys],
        values: row.values,
        status,
        enteredAt: now,
        deadlineAt: now,
        lastError: {
          code: 'AUDIENCE_UNRESOLVED',
          message: 'the canvas version has no audience for this step',
          at: now.toISOString(),
        },
      });
      continue;
    }
    entries.push({
      metaAccountId: target.metaAccountId,
      adAccountId: target.adAccountId,
      workspaceId: h.workspaceId,
      audienceId: target.audienceId,
      action: h.step.action,
      canvasId: h.canvasId,
      version: h.version,
      stepId: h.step.id,
      userId: h.userId,
      entrySeq: h.entrySeq,
      schema: [...h.step.matchKeys],
      values: row.values,
      status,
      enteredAt: now,
      deadlineAt: new Date(now.getTime() + retryWindowMs),
      lastError:
        status === 'not_synced'
          ? {
              code: 'NO_MATCH_KEYS',
              message: `no usable value for any identifier among ${h.step.matchKeys.join(', ')}`,
              at: now.toISOString(),
            }
          : null,
    });
  }
  return { entries, counts };
}
