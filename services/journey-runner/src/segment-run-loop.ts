import {
  candidateFilter,
  dueRun,
  followingChanges,
  historyNeeded,
  planSegmentEntries,
  rollupCountable,
  segmentMatches,
  type CanvasVersion,
  type SegmentCondition,
} from '@canvas/canvas';
import {
  addCounters,
  advanceRun,
  audienceMembersAmong,
  handOffRemovals,
  claimOpenRun,
  countedKey,
  countedMembers,
  findSegment,
  lastSegmentRuns,
  loadSegmentMembers,
  lockNextCandidates,
  materialiseRun,
  requestResyncs,
  scheduleSegmentRun,
  workspaceRotation,
  workspacesWithOpenRuns,
  type ClaimedRun,
  type Tx,
} from '@canvas/db';
import { pollingLoop } from './polling-loop.js';
import { runResyncs } from './run-resyncs.js';
import { countPlanned, loadPlanWrite, type PlanningLoopDeps } from './load-plan-write.js';

export interface SegmentRunLoopDeps extends PlanningLoopDeps {
  /** Candidates per transaction. */
  sliceSize: number;
}

type Step = 'idle' | 'scheduled' | 'sliced';

/** Workspaces one tick looks at for a run no other runner holds: each claim locks within one workspace. */
const workspacesPerTick = 8;

/** The Facebook steps whose audience follows the canvas's segment. */
const followingSteps = (canvas: CanvasVersion | undefined) =>
  (canvas?.definition.steps ?? []).flatMap((s) => (s.kind === 'facebook_audience' && s.followSegment ? [s.id] : []));

/**
 * Runs segment-entry canvases on their schedules. A due run is recorded once (any runner may
 * notice it), its candidates are collected in one statement, then entered a slice per
 * transaction that also moves the run's cursor: a killed runner's successor resumes after the
 * last committed slice, so every member is entered exactly once per run. Workspaces take turns
 * (`workspaceRotation`), a slice each, oldest run first within each.
 */
export function createSegmentRunLoop(deps: SegmentRunLoopDeps) {
  const rotation = workspaceRotation(() => workspacesWithOpenRuns(deps.db, deps.now()));

  /** The oldest open run of the first of `workspaces` that has one nobody holds; the rest wait their turn. */
  async function claimRun(tx: Tx, workspaces: readonly string[], now: Date): Promise<ClaimedRun | undefined> {
    for (const [i, workspaceId] of workspaces.entries()) {
      const run = await claimOpenRun(tx, workspaceId, now);
      if (run) {
        rotation.giveBack(workspaces.slice(i + 1));
        return run;
      }
    }
    return undefined;
  }

  async function scheduleDueRuns(): Promise<void> {
    const canvases = deps.index.segmentEntryCanvases().filter((c) => c.status === 'running');
    if (canvases.length === 0) return;
    const last = await lastSegmentRuns(
      deps.db,
      canvases.map((c) => c.version.canvasId),
    );
    const now = deps.now();
    for (const canvas of canvases) {
      const runs = canvas.version.definition.entry.segment?.runs;
      if (!runs) continue;
      const after = last.get(canvas.version.canvasId) ?? new Date(canvas.launchedAt.getTime() - 1);
      const due = dueRun(runs, after, canvas.launchedAt, now);
      if (due)
        await deps.db.transaction().execute(async (tx) => {
          const run = {
            workspaceId: canvas.workspaceId,
            canvasId: canvas.version.canvasId,
            scheduledAt: due,
            version: canvas.version.version,
          };
          await scheduleSegmentRun(tx, run);
          // steps resynced after each run: their audience's writes wait for the run and its replace
          await requestResyncs(tx, runResyncs(canvas, due, now));
        });
    }
  }

  async function finish(tx: Tx, run: ClaimedRun, outcome: 'finished' | 'canceled', why?: string) {
    const none = { cursor: null, evaluated: 0, members: 0, entered: 0, removed: 0 };
    await advanceRun(tx, run, { ...none, finishedAt: deps.now() });
    deps.metrics.segmentRuns.inc({ outcome });
    if (why) deps.logger.warn({ canvasId: run.canvasId, scheduledAt: run.scheduledAt }, why);
  }

  async function enterSlice(tx: Tx, run: ClaimedRun, conditions: SegmentCondition, now: Date): Promise<void> {
    const canvas = deps.index.lookup().version(run.canvasId, run.version)!;
    const evaluatedAt = run.startedAt ?? now;
    const { profiles, counts } = await lockNextCandidates(tx, run, deps.sliceSize);
    // behaviour without property filters was counted for every candidate when the run started
    const counted = rollupCountable(conditions, evaluatedAt);
    const candidates =
      counts && counted && run.counted === countedKey(counted)
        ? countedMembers(profiles, counted, counts)
        : await loadSegmentMembers(tx, run.workspaceId, profiles, historyNeeded(conditions, evaluatedAt));
    const members = new Set(
      candidates.filter((c) => segmentMatches(conditions, c, evaluatedAt)).map((c) => c.profile.userId),
    );
    // a following audience: members already in it stay, those in it who left are removed
    const following = followingSteps(canvas);
    const inAudience = await audienceMembersAmong(
      tx,
      run.canvasId,
      following,
      profiles.map((p) => p.userId),
    );
    const { entering, leaving } = followingChanges(
      profiles.map((p) => p.userId),
      members,
      inAudience,
    );
    const removals = await handOffRemovals(
      tx,
      { canvasId: run.canvasId, stepIds: following, userIds: leaving },
      now,
      deps.retryWindowMs,
    );
    await addCounters(tx, removals, now, deps.shard);
    const enteringIds = new Set(entering);
    const stored = profiles.filter((p) => enteringIds.has(p.userId));
    const cap = canvas.definition.entry.targetCap;
    const context = { index: deps.index, now, retryWindowMs: deps.retryWindowMs, shard: deps.shard };
    const planned = await loadPlanWrite(tx, context, {
      profiles: stored,
      caps: new Map(cap === undefined ? [] : [[run.canvasId, cap] as const]),
      plan: (state) => planSegmentEntries(stored, canvas, state, now),
    });
    const last = profiles.length < deps.sliceSize;
    await advanceRun(tx, run, {
      cursor: profiles.at(-1)?.userId ?? null,
      evaluated: profiles.length,
      members: members.size,
      entered: planned.plan.outcomes.entered,
      removed: leaving.length,
      finishedAt: last ? now : null,
    });
    countPlanned(deps.metrics, planned);
    deps.metrics.segmentRunRemoved.inc(leaving.length);
    deps.metrics.segmentRunEvaluated.inc({ member: 'true' }, members.size);
    deps.metrics.segmentRunEvaluated.inc({ member: 'false' }, profiles.length - members.size);
    if (last) deps.metrics.segmentRuns.inc({ outcome: 'finished' });
  }

  /** Does one unit of work on the next workspace's oldest open run: collect its candidates, or enter one slice. */
  async function tick(): Promise<Step> {
    await scheduleDueRuns();
    const workspaces = await rotation.next(workspacesPerTick);
    if (workspaces.length === 0) return 'idle';
    return deps.db.transaction().execute(async (tx): Promise<Step> => {
      const now = deps.now();
      const run = await claimRun(tx, workspaces, now);
      if (!run) return 'idle';
      if (run.canvasStatus === 'archived') {
        await finish(tx, run, 'canceled', 'segment run canceled: its canvas was archived');
        return 'sliced';
      }
      await deps.index.ensureVersions([{ canvasId: run.canvasId, version: run.version }]);
      const segmentId = deps.index.lookup().version(run.canvasId, run.version)?.definition.entry.segment?.segmentId;
      const segment = segmentId && (await findSegment(tx, run.workspaceId, segmentId));
      if (!segment) {
        await finish(tx, run, 'canceled', 'segment run canceled: its canvas or segment cannot be read');
        return 'sliced';
      }
      if (run.status === 'pending') {
        const follows = followingSteps(deps.index.lookup().version(run.canvasId, run.version)).length > 0;
        const counted = rollupCountable(segment.conditions, now);
        const counting = counted ? { condition: segment.conditions, counted } : undefined;
        const filter = candidateFilter(segment.conditions, now);
        const count = await materialiseRun(tx, run, filter, now, follows, counting);
        deps.logger.info(
          { canvasId: run.canvasId, scheduledAt: run.scheduledAt, candidates: count },
          'segment run started',
        );
        return 'scheduled';
      }
      await enterSlice(tx, run, segment.conditions, now);
      return 'sliced';
    });
  }

  // an open run goes on at once, as do workspaces waiting their turn; otherwise look again later
  const loop = pollingLoop('segment run loop', async () => (await tick()) !== 'idle' || rotation.waiting() > 0, deps);
  return { ...loop, tick };
}
