import { keyParts, userKey, type AudienceStatus, type BatchState, type Plan } from '@canvas/canvas';
import {
  addCounters,
  addEntrants,
  applyTimerChanges,
  insertAudienceEntries,
  recordAudienceMembers,
  saveJourneys,
  saveProfiles,
  type StoredJourney,
  type StoredProfile,
  type Tx,
} from '@canvas/db';
import type { CanvasIndex } from './canvas-index.js';
import { handoffEntries } from './handoff-entries.js';

export interface WriteContext {
  index: CanvasIndex;
  now: Date;
  retryWindowMs: number;
  /** Counter shard of this writer, so concurrent writers never share a counter row. */
  shard: number;
}

export interface WriteSummary {
  handoffs: Record<Exclude<AudienceStatus, 'synced'>, number>;
}

const split = (key: string) => keyParts(key) as [string, string, string];

/** Writes everything a plan changed, in the caller's transaction. */
export async function writePlan(tx: Tx, plan: Plan, state: BatchState, context: WriteContext): Promise<WriteSummary> {
  const profiles: StoredProfile[] = [...plan.profiles].flatMap((key) => {
    const profile = state.profiles.get(key);
    return profile ? [profile] : [];
  });
  await saveProfiles(tx, profiles);

  const journeys: StoredJourney[] = [...plan.journeys].flatMap((key) => {
    const [workspaceId, userId, canvasId] = split(key);
    const journey = state.journeys.get(userKey(workspaceId, userId))?.get(canvasId);
    return journey ? [{ ...journey, workspaceId, userId }] : [];
  });
  await saveJourneys(tx, journeys, context.now);

  await applyTimerChanges(
    tx,
    [...plan.timers].map(([key, timer]) => {
      const [workspaceId, userId, canvasId] = split(key);
      return { workspaceId, userId, canvasId, timer };
    }),
  );

  const { entries, counts } = handoffEntries(plan.handoffs, context.index, context.now, context.retryWindowMs);
  await insertAudienceEntries(tx, entries);
  await recordAudienceMembers(
    tx,
    plan.handoffs.filter((h) => h.step.followSegment).map((h) => ({ ...h, stepId: h.step.id, addedAt: context.now })),
  );
  await addCounters(tx, [...plan.counts, ...counts], context.now, context.shard);
  await addEntrants(tx, plan.entrants);

  const handoffs = { pending: 0, not_synced: 0, errored: 0 };
  for (const entry of entries) handoffs[entry.status] += 1;
  return { handoffs };
}
