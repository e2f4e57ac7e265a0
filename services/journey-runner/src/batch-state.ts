import type { BatchState } from '@canvas/canvas';
import { userKey } from '@canvas/canvas';
import type { Journey } from '@canvas/canvas';
import type { StoredJourney, StoredProfile } from '@canvas/db';

/** The planner's view of what a transaction loaded and locked. */
export function batchState(
  profiles: readonly StoredProfile[],
  journeys: readonly StoredJourney[],
  caps: ReadonlyMap<string, number>,
  entrants: ReadonlyMap<string, number>,
): BatchState {
  const byUser = new Map<string, Map<string, Journey>>();
  for (const j of journeys) {
    const key = userKey(j.workspaceId, j.userId);
    const map = byUser.get(key) ?? new Map<string, Journey>();
    map.set(j.canvasId, {
      canvasId: j.canvasId,
      version: j.version,
      entrySeq: j.entrySeq,
      status: j.status,
      stepId: j.stepId,
      enteredAt: j.enteredAt,
      convertedAt: j.convertedAt,
    });
    byUser.set(key, map);
  }
  return {
    profiles: new Map(profiles.map((p) => [userKey(p.workspaceId, p.userId), { ...p }])),
    journeys: byUser,
    caps: new Map(caps),
    capRemaining: new Map([...caps].map(([canvasId, cap]) => [canvasId, cap - (entrants.get(canvasId) ?? 0)])),
  };
}
