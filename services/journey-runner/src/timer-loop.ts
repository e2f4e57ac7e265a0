import { userKey, planTimers, type DueTimer } from '@canvas/canvas';
import {
  claimDueTimers,
  dueTimerStats,
  lockProfilesSkipLocked,
  workspaceRotation,
  workspacesWithDueTimers,
  type ClaimedTimer,
} from '@canvas/db';
import { pollingLoop } from './polling-loop.js';
import { countPlanned, loadPlanWrite, type PlanningLoopDeps } from './load-plan-write.js';

export interface TimerLoopDeps extends PlanningLoopDeps {
  batchSize: number;
}

/** Workspaces one tick claims from, until its batch is full: each claim locks within one workspace. */
const workspacesPerTick = 8;

/**
 * Fires due delays: claims them with FOR UPDATE SKIP LOCKED (replicas never take the same
 * one), skips users the event path holds right now, and deletes each timer in the transaction
 * that moves its user on, so a delay fires once and is never lost. Claims go one workspace at a
 * time, the workspaces taking turns (`workspaceRotation`), oldest first within each.
 */
export function createTimerLoop(deps: TimerLoopDeps) {
  const rotation = workspaceRotation(() => workspacesWithDueTimers(deps.db, deps.now()));

  async function tick(): Promise<number> {
    const workspaces = await rotation.next(workspacesPerTick);
    if (workspaces.length === 0) return 0;
    return deps.db.transaction().execute(async (tx) => {
      const now = deps.now();
      const claimed: ClaimedTimer[] = [];
      for (const [i, workspaceId] of workspaces.entries()) {
        if (claimed.length >= deps.batchSize) {
          rotation.giveBack(workspaces.slice(i));
          break;
        }
        claimed.push(...(await claimDueTimers(tx, workspaceId, now, deps.batchSize - claimed.length)));
      }
      if (claimed.length === 0) return 0;
      // the engine decides: a due delay of an archived canvas cancels its journey
      const profiles = await lockProfilesSkipLocked(tx, claimed);
      const held = new Set(profiles.map((p) => userKey(p.workspaceId, p.userId)));
      const fire: DueTimer[] = claimed
        .filter((t) => held.has(userKey(t.workspaceId, t.userId)))
        .map((t) => ({ ...t, canvasArchived: t.canvasStatus === 'archived' }));
      const context = { index: deps.index, now, retryWindowMs: deps.retryWindowMs, shard: deps.shard };
      const planned = await loadPlanWrite(tx, context, {
        profiles,
        caps: new Map(),
        plan: (state) => planTimers(fire, state, deps.index.lookup(), now),
      });
      deps.metrics.timersFired.inc(fire.filter((t) => !t.canvasArchived).length);
      countPlanned(deps.metrics, planned);
      return claimed.length;
    });
  }

  let lastStats = 0;
  const loop = pollingLoop(
    'timer loop',
    async () => {
      const claimed = await tick();
      if (Date.now() - lastStats > 2000) {
        lastStats = Date.now();
        const now = deps.now();
        const stats = await dueTimerStats(deps.db, now);
        deps.metrics.timersDue.set(stats.due);
        deps.metrics.timerOverdue.set(
          stats.oldestDueAt ? Math.max(0, (now.getTime() - stats.oldestDueAt.getTime()) / 1000) : 0,
        );
      }
      // a full batch means more are due, and workspaces waiting their turn may have some: go again at once
      return claimed >= deps.batchSize || rotation.waiting() > 0;
    },
    deps,
  );

  return { ...loop, tick };
}
