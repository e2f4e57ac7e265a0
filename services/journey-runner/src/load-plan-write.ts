import type { BatchState, Plan } from '@canvas/canvas';
import { loadJourneys, lockEntryCounts, type Db, type StoredProfile, type Tx } from '@canvas/db';
import type { Logger } from '@canvas/runtime';
import { batchState } from './batch-state.js';
import type { CanvasIndex } from './canvas-index.js';
import type { RunnerMetrics } from './runner-metrics.js';
import { writePlan, type WriteContext, type WriteSummary } from './write-plan.js';

/** What a polling loop that loads, plans and writes (timers, segment runs) is built from. */
export interface PlanningLoopDeps {
  db: Db;
  index: CanvasIndex;
  logger: Logger;
  metrics: RunnerMetrics;
  now: () => Date;
  pollIntervalMs: number;
  retryWindowMs: number;
  /** Counter shard of this loop, so concurrent writers never share a counter row. */
  shard: number;
}

export interface PlanInput {
  /** The users this transaction moves, their profiles already locked by the caller. */
  profiles: readonly StoredProfile[];
  /** Target caps of the canvases they may enter; their entry counts are locked here. */
  caps: ReadonlyMap<string, number>;
  /** Adds what a path's planner needs besides journeys, e.g. behaviour histories. */
  prepare?: (state: BatchState) => Promise<void>;
  plan: (state: BatchState) => Plan;
}

export interface Planned {
  state: BatchState;
  plan: Plan;
  written: WriteSummary;
}

/**
 * The one "load, plan, write" of the event path, the timer loop and segment runs: the users'
 * journeys and the canvases' entry counts are loaded, the pure engine plans, and everything the
 * plan changed is written in the caller's transaction.
 */
export async function loadPlanWrite(tx: Tx, context: WriteContext, input: PlanInput): Promise<Planned> {
  const journeys = await loadJourneys(tx, input.profiles);
  await context.index.ensureVersions(journeys);
  const entrants = await lockEntryCounts(tx, [...input.caps.keys()]);
  const state = batchState(input.profiles, journeys, input.caps, entrants);
  await input.prepare?.(state);
  const plan = input.plan(state);
  const written = await writePlan(tx, plan, state, context);
  return { state, plan, written };
}

/** Entries, capped entries and hand-offs of a committed plan, on the runner's metrics. */
export function countPlanned(metrics: RunnerMetrics, planned: Pick<Planned, 'plan' | 'written'>): void {
  metrics.entered.inc(planned.plan.outcomes.entered);
  metrics.capped.inc(planned.plan.outcomes.capped);
  for (const [status, count] of Object.entries(planned.written.handoffs)) metrics.handoffs.inc({ status }, count);
}
