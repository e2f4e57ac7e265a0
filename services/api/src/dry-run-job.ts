import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  CapCounter,
  historyNeeded,
  readStoredDefinition,
  Replay,
  type CanvasDefinition,
  type CanvasVersion,
  type ReplayResult,
  type SegmentCondition,
} from '@canvas/canvas';
import {
  dryRunCostSince,
  findCanvasVersion,
  findSegment,
  finishDryRun,
  profileCount,
  openReplayRange,
  recordDryRunProgress,
  releaseDryRun,
  type ClaimedDryRun,
  type ReplayPage,
  type ReplayRange,
  type ReplayReadRequest,
} from '@canvas/db';
import { hasUsableIdentifier } from '@canvas/meta-graph';
import { accountCapacity, type AccountCapacityView } from './account-capacity.js';
import type { ApiDeps } from './deps.js';
import type { DryRunSettings } from './dry-run-settings.js';
import type { DryRunResult } from './dry-run-view.js';
import { facebookStepAccounts } from './facebook-step-accounts.js';
import { loggableError } from './problem.js';

/** Users replayed between two turns of the event loop, so the API's other requests are served meanwhile. */
const usersPerTurn = 100;
const dayMs = 86_400_000;
const hourMs = 3_600_000;

export type DryRunOutcome = 'done' | 'failed' | 'cancelled' | 'released';

/** A run that cannot go on, with the reason stored on it (never a value from the data). */
class DryRunStop extends Error {
  constructor(readonly failure: string) {
    super(failure);
  }
}

/** The events a canvas reacts to: its trigger, its conversion goal, its exit criteria. */
function canvasEvents(definition: CanvasDefinition): string[] {
  const { trigger } = definition.entry;
  const goal = definition.conversionGoal;
  return [
    ...new Set([
      ...(trigger ? [trigger.event] : []),
      ...(goal ? [goal.event] : []),
      ...definition.exitCriteria.map((c) => c.event),
    ]),
  ];
}

/**
 * Per event, the top-level properties the canvas's conditions (and its segment's `where`) read:
 * the only ones a dry run reads, however large the events' properties are.
 */
function propertiesRead(definition: CanvasDefinition, segment: SegmentCondition | undefined): Record<string, string[]> {
  const read = new Map<string, Set<string>>();
  const note = (event: string, conditions: readonly { property: string }[]) => {
    for (const c of conditions) {
      const keys = read.get(event) ?? new Set<string>();
      keys.add(c.property.split('.')[0]!);
      read.set(event, keys);
    }
  };
  const { trigger } = definition.entry;
  if (trigger) note(trigger.event, trigger.conditions);
  if (definition.conversionGoal) note(definition.conversionGoal.event, definition.conversionGoal.conditions);
  for (const c of definition.exitCriteria) note(c.event, c.conditions);
  const stack = segment ? [segment] : [];
  for (let c = stack.pop(); c; c = stack.pop()) {
    if ('all' in c) stack.push(...c.all);
    else if ('any' in c) stack.push(...c.any);
    else if ('behaviour' in c) note(c.behaviour.event, c.behaviour.where);
  }
  return Object.fromEntries([...read].map(([event, keys]) => [event, [...keys]]));
}

/** The first range is a sixteenth of a full one, and each next a quarter larger, up to `rangeUsers`. */
const firstRangeShare = 1 / 16;
const rangeGrowth = 1.25;

/**
 * Pages of a pass, range after range: each range is one sorted read of its users' history, and
 * the next range's read starts as soon as the current one delivers, so PostgreSQL sorts it while
 * this process replays. Ranges start small and grow (sorting a user costs PostgreSQL less than
 * replaying one costs here), so the replay starts within a second and rarely waits for a sort.
 * Ends every read it opened, also when the run stops early.
 */
async function* pages(deps: ApiDeps, request: ReplayReadRequest, rangeUsers: number): AsyncGenerator<ReplayPageOf> {
  let size = Math.min(rangeUsers, Math.max(request.users, Math.ceil(rangeUsers * firstRangeShare)));
  const open = (after: string) => {
    const range = openReplayRange(deps.db, { ...request, after, rangeUsers: size });
    size = Math.min(rangeUsers, Math.ceil(size * rangeGrowth));
    return range;
  };
  let current: ReplayRange | undefined = await open('');
  let following: Promise<ReplayRange> | undefined;
  try {
    while (current) {
      const range: ReplayRange = current;
      for (;;) {
        const page = await range.next();
        if (following === undefined && range.through !== null) {
          following = open(range.through);
          following.catch(() => undefined);
        }
        yield { page, user: range.user, last: page.last && range.through === null };
        if (page.last) break;
      }
      await range.close();
      current = await following;
      following = undefined;
    }
  } finally {
    await current?.close();
    if (following) await (await following.catch(() => undefined))?.close();
  }
}

/** A page and how to read its users. */
interface ReplayPageOf {
  page: ReplayPage;
  user: ReplayRange['user'];
  /** The pass's last page. */
  last: boolean;
}

/**
 * Runs one claimed dry run to its end: replays every page of the workspace's users through the
 * engine (a second pass when a target cap binds), reporting progress under its lease after each
 * page — which is also where a cancellation, a takeover or the budget stops it — and stores the
 * projection. Writes nothing but its own row.
 */
export async function runDryRun(
  deps: ApiDeps,
  settings: DryRunSettings,
  run: ClaimedDryRun,
  signal: AbortSignal,
): Promise<DryRunOutcome> {
  let cost = 0;
  try {
    const stored = await findCanvasVersion(deps.db, run.canvasId, run.version);
    const read = stored ? readStoredDefinition(stored.definition) : undefined;
    if (!read?.ok) throw new DryRunStop(stored ? 'canvas_unreadable' : 'version_not_found');
    const definition = read.definition;
    const canvas: CanvasVersion = { canvasId: run.canvasId, version: run.version, definition };
    const notes: string[] = [];

    const segmentId = definition.entry.inSegment ?? definition.entry.segment?.segmentId;
    const segment = segmentId === undefined ? undefined : await findSegment(deps.db, run.workspaceId, segmentId);
    if (segmentId !== undefined && !segment)
      notes.push(`segment ${segmentId} does not exist: nobody is a member, so nobody enters`);
    if (definition.steps.some((s) => s.kind === 'facebook_audience' && s.followSegment))
      notes.push('removals of users who leave a followed segment are not projected');

    const accounts = await facebookStepAccounts(deps.db, run.workspaceId, definition, stored?.resolved);
    const capacities = new Map<string, AccountCapacityView>();
    for (const account of new Set(accounts.values())) {
      if (account) capacities.set(account.metaAccountId, await accountCapacity(deps.db, account.metaAccountId));
    }
    for (const [stepId, account] of accounts)
      if (!account) notes.push(`step ${stepId}: no connected ad account, so no quota to measure its requests against`);
    const batching = [...capacities.values()][0] ?? { batchWindowMs: 5000, usersPerRequest: 10_000 };

    const needs = segment ? historyNeeded(segment.conditions, run.from) : undefined;
    const request: ReplayReadRequest = {
      workspaceId: run.workspaceId,
      users: settings.pageUsers,
      from: run.from,
      to: run.to,
      events: canvasEvents(definition),
      history: needs,
      properties: propertiesRead(definition, segment?.conditions),
      everyProfile: definition.entry.segment !== undefined,
    };
    const spent = (await dryRunCostSince(deps.db, run.workspaceId, new Date(deps.now().getTime() - dayMs))).events;
    const allowance = Math.max(0, settings.dailyHistoryRows - spent);
    const total = await profileCount(deps.db, run.workspaceId);

    const cap = definition.entry.targetCap;
    const base = {
      workspaceId: run.workspaceId,
      canvas,
      from: run.from,
      to: run.to,
      segment: segment?.conditions,
      usable: hasUsableIdentifier,
      batchWindowMs: batching.batchWindowMs,
      usersPerRequest: batching.usersPerRequest,
    };
    const counter = cap === undefined ? undefined : new CapCounter(run.from.getTime(), run.to.getTime(), cap);
    let replay = new Replay({ ...base, cap: counter });
    let passes = 1;
    let scanned = 0;
    for (let pass = 1; pass <= passes; pass += 1) {
      if (pass === 2) {
        const cutoff = counter?.cutoff();
        if (!cutoff) break;
        replay = new Replay({ ...base, cap: cutoff });
      }
      let done = 0;
      for await (const { page, user, last } of pages(deps, request, settings.rangeUsers)) {
        if (signal.aborted) {
          await releaseDryRun(deps.db, run.id, run.lease);
          return 'released';
        }
        for (let i = 0; i < page.users.length; i += 1) {
          const read = user(page.users[i]!);
          if (read) replay.user(read);
          if (i % usersPerTurn === usersPerTurn - 1) await yieldToEventLoop();
        }
        done += page.profiles;
        cost += page.rows;
        if (cost > allowance) throw new DryRunStop('budget_exhausted');
        // a cap that binds needs a second pass: known once the first has seen everyone
        if (pass === 1 && last && counter?.cutoff()) passes = 2;
        const ours = await recordDryRunProgress(deps.db, run.id, run.lease, {
          usersDone: done,
          usersTotal: total,
          pass,
          passes,
          costEvents: cost,
          now: deps.now(),
        });
        if (!ours) return 'cancelled';
      }
      if (pass === 1) scanned = done;
    }
    const result = projection(replay.result(batching.usersPerRequest), {
      run,
      accounts,
      capacities,
      scanned,
      cost,
      notes,
    });
    const finished = await finishDryRun(deps.db, run.id, run.lease, {
      status: 'done',
      result,
      costEvents: cost,
      now: deps.now(),
    });
    return finished ? 'done' : 'cancelled';
  } catch (error) {
    const failure = error instanceof DryRunStop ? error.failure : 'internal';
    if (!(error instanceof DryRunStop))
      deps.logger.error({ error: loggableError(error), dryRunId: run.id }, 'dry run failed');
    const ended = await finishDryRun(deps.db, run.id, run.lease, {
      status: 'failed',
      failure,
      costEvents: cost,
      now: deps.now(),
    });
    return ended ? 'failed' : 'cancelled';
  }
}

const round = (n: number, digits = 4) => Number(n.toFixed(digits));

/** The stored answer: the replay's numbers, each Facebook step's account and what its requests cost of the quota. */
function projection(
  replayed: ReplayResult,
  context: {
    run: ClaimedDryRun;
    accounts: Map<string, { metaAccountId: string } | undefined>;
    capacities: Map<string, AccountCapacityView>;
    scanned: number;
    cost: number;
    notes: string[];
  },
): DryRunResult {
  const { accounts, capacities } = context;
  const windowMs = context.run.to.getTime() - context.run.from.getTime();
  const windowHours = windowMs / hourMs;
  // the busiest hour as a rate: the window's last hour may be shorter than an hour
  const peakRate = (hourly: readonly number[]) =>
    Math.max(0, ...hourly.map((n, h) => n / (Math.min(hourMs, windowMs - h * hourMs) / hourMs)));
  const perAccount = new Map<
    string,
    { steps: string[]; users: number; requests: number; hourlyUsers: number[]; hourlyRequests: number[] }
  >();
  const steps = replayed.steps.map((step) => {
    const fb = step.facebook;
    const account = accounts.get(step.stepId);
    const capacity = account ? capacities.get(account.metaAccountId) : undefined;
    if (fb && account) {
      const sum = perAccount.get(account.metaAccountId) ?? {
        steps: [],
        users: 0,
        requests: 0,
        hourlyUsers: [],
        hourlyRequests: [],
      };
      sum.steps.push(step.stepId);
      sum.users += fb.synced;
      sum.requests += fb.requests;
      fb.hourlyUsers.forEach((n, h) => (sum.hourlyUsers[h] = (sum.hourlyUsers[h] ?? 0) + n));
      fb.hourlyRequests.forEach((n, h) => (sum.hourlyRequests[h] = (sum.hourlyRequests[h] ?? 0) + n));
      perAccount.set(account.metaAccountId, sum);
    }
    return {
      stepId: step.stepId,
      kind: step.kind,
      name: step.name,
      entered: step.entered,
      proceeded: step.proceeded,
      exited: step.exited,
      converted: step.converted,
      waiting: step.waiting,
      branches: step.branches,
      facebook: fb
        ? {
            adAccountId: account ? `act_${account.metaAccountId}` : null,
            action: fb.action,
            matchKeys: fb.matchKeys,
            synced: fb.synced,
            notSynced: fb.notSynced,
            requests: fb.requests,
            quotaHours: capacity ? round(fb.requests / capacity.capacityPerHour, 6) : null,
          }
        : null,
      sampleUserIds: step.sampleUserIds,
    };
  });
  return {
    totals: replayed.totals,
    steps,
    accounts: [...perAccount.entries()].map(([metaAccountId, sum]) => {
      const capacityPerHour = capacities.get(metaAccountId)?.capacityPerHour ?? 0;
      return {
        adAccountId: `act_${metaAccountId}`,
        steps: sum.steps,
        users: sum.users,
        requests: sum.requests,
        usersPerHour: { mean: round(sum.users / windowHours), peak: round(peakRate(sum.hourlyUsers)) },
        requestsPerHour: { mean: round(sum.requests / windowHours), peak: round(peakRate(sum.hourlyRequests)) },
        capacityPerHour: round(capacityPerHour),
        quotaHours: capacityPerHour > 0 ? round(sum.requests / capacityPerHour, 6) : 0,
      };
    }),
    users: { scanned: context.scanned, replayed: replayed.users.replayed, entered: replayed.users.entered },
    events: replayed.events,
    historyRows: context.cost,
    segmentRuns: replayed.segmentRuns,
    notes: context.notes,
  };
}
