import { handoffOutcome } from '../engine/handoff-outcome.js';
import {
  emptyPlan,
  planEvents,
  planSegmentEntries,
  planTimers,
  type BatchState,
  type CanvasLookup,
  type LiveCanvas,
  type Plan,
  type ProfileState,
  type TimerWrite,
} from '../engine/plan.js';
import { audienceSplitBranch } from '../engine/steps/audience-split.step.js';
import { randomSplitPath } from '../engine/steps/random-split.step.js';
import { canvasLevel, type CanvasVersion, type Profile } from '../engine/types.js';
import type { ParsedEvent } from '../events/parse-event.js';
import { journeyKey, userKey } from '../keys/keys.js';
import { adsOptedOut } from '../model/ad-consent.js';
import type { MatchKey } from '../model/match-keys.js';
import { deviceAdvertisingId, type MatchSource } from '../model/match-source.js';
import type { Step } from '../model/step.schema.js';
import { segmentMatches, type HistoryItem } from '../segment/evaluate.js';
import type { SegmentCondition } from '../segment/segment.schema.js';
import { CapCounter, type CapCutoff } from './cap-admission.js';
import type { BranchNumbers, ReplayResult, ReplayTotals, StepProjection } from './replay-result.js';
import { segmentRunsIn } from './segment-runs.js';
import { SendTicks } from './send-ticks.js';

/**
 * Whether a user has a usable value for at least one identifier among a step's keys, by Meta's
 * normalisation (the caller brings it: the rules live in @canvas/meta-graph).
 */
export type UsableCheck = (matchKeys: readonly MatchKey[], source: MatchSource, currentYear: number) => boolean;

/** One track event of the window, as the behaviour history keeps it. */
export interface ReplayEvent {
  event: string;
  /** When it happened, in ms since the epoch. */
  at: number;
  properties: Readonly<Record<string, unknown>>;
}

/** A user's profile and behaviour, everything the replay knows of them. */
export interface ReplayUser {
  profile: Omit<ProfileState, 'workspaceId'>;
  /** The window's events the canvas reacts to, oldest first. */
  events: readonly ReplayEvent[];
  /** What the canvas's segment reads, oldest first; may begin before the window. */
  history?: readonly HistoryItem[];
}

export interface ReplayOptions {
  workspaceId: string;
  canvas: CanvasVersion;
  /** The window: events in [from, to) are replayed; delays due before `to` fire. */
  from: Date;
  to: Date;
  /** The segment the entry names (inSegment, or a segment entry); undefined when it does not exist. */
  segment?: SegmentCondition | undefined;
  usable: UsableCheck;
  /** A target cap: counted (first pass) or applied (second pass); see cap-admission.ts. */
  cap?: CapCounter | CapCutoff | undefined;
  /** User ids kept per step. */
  samples?: number;
  batchWindowMs?: number;
  usersPerRequest?: number;
}

interface StepTally {
  step: Step;
  entered: number;
  proceeded: number;
  exited: number;
  converted: number;
  waiting: number;
  branches: number[] | null;
  /** How to tell a split's way from the next count, when every way leads somewhere different. */
  ways: Map<string, number> | null;
  samples: string[];
  facebook: { synced: number; noMatchKeys: number; consent: number; sends: SendTicks } | null;
}

interface Timer {
  stepId: string;
  entrySeq: number;
  dueAt: number;
}

/** Replayed history events change no profile: the engine merges nothing from them. */
const none: Record<string, unknown> = Object.freeze({});

/** The journey's timer after a call, from its latest write (kept when unchanged, to spare an allocation). */
function timerOf(written: TimerWrite | null | undefined, was: Timer | null): Timer | null {
  if (!written) return null;
  const dueAt = written.dueAt.getTime();
  if (was?.dueAt === dueAt && was.entrySeq === written.entrySeq && was.stepId === written.stepId) return was;
  return { stepId: written.stepId, entrySeq: written.entrySeq, dueAt };
}
const noLive: readonly LiveCanvas[] = [];

/**
 * Readies the plan for the next engine call. Its sets and maps only ever hold the one user's keys,
 * written in order, so they keep the latest value (a journey's timer among them) and are emptied
 * per user; the counts and hand-offs are read per call.
 */
function resetPlan(plan: Plan): void {
  if (plan.handoffs.length > 0) plan.handoffs = [];
  if (plan.counts.length > 0) plan.counts = [];
  plan.outcomes.applied = 0;
  plan.outcomes.entered = 0;
  plan.outcomes.capped = 0;
}

function resetUser(plan: Plan): void {
  plan.profiles.clear();
  plan.journeys.clear();
  plan.timers.clear();
  plan.entrants.clear();
}

/** End of the journey, where a split's way leads when its next step is null. */
const end = `${canvasLevel}/completed`;

/**
 * Which way of a split an engine walk took, read from the counts it made: right after a split's
 * "proceeded" comes the next step's "entered" (or the canvas's "completed"). Only when every way
 * leads somewhere different; otherwise the split's decision is evaluated again.
 */
function waysByNext(step: Step): Map<string, number> | null {
  const nexts =
    step.kind === 'audience_split'
      ? [...step.branches.map((b) => b.next), step.else]
      : step.kind === 'random_split'
        ? step.paths.map((p) => p.next)
        : [];
  const keys = nexts.map((next) => (next === null ? end : `${next}/entered`));
  return new Set(keys).size === keys.length ? new Map(keys.map((key, index) => [key, index])) : null;
}

/**
 * A dry run of one canvas version over stored behaviour: each user's events are replayed through
 * the same pure planner the runner uses, on a virtual clock (an event's own time; a delay fires
 * at its due time, between events), from an empty journey state as if the canvas had been
 * launched when the window opens. Nothing is written: the effects are tallied per step, and a
 * Facebook step's hand-offs get the outcome the runner would give them (Pending, i.e. sent to
 * Meta, or Not synced by reason). Feed users one at a time, in any order; memory holds one user.
 */
export class Replay {
  private readonly lookup: CanvasLookup;
  private readonly steps = new Map<string, StepTally>();
  private readonly totals: ReplayTotals = {
    entered: 0,
    control: 0,
    converted: 0,
    controlConverted: 0,
    exited: 0,
    completed: 0,
    capped: 0,
    waiting: 0,
  };
  private readonly plan = emptyPlan();
  private readonly state: BatchState = {
    profiles: new Map(),
    journeys: new Map(),
    caps: new Map(),
    capRemaining: new Map(),
  };
  private readonly batch: [ParsedEvent] = [
    {
      workspaceId: '',
      traits: none,
      context: none,
      event: { type: 'track', messageId: '', userId: '', event: '', properties: none, timestamp: new Date(0) },
    },
  ];
  private readonly from: number;
  private readonly to: number;
  private readonly runs: readonly number[];
  private readonly samples: number;
  private replayedUsers = 0;
  private enteredUsers = 0;
  private replayedEvents = 0;

  constructor(private readonly options: ReplayOptions) {
    const { canvas, workspaceId } = options;
    this.from = options.from.getTime();
    this.to = options.to.getTime();
    this.samples = options.samples ?? 10;
    const live: readonly LiveCanvas[] = [{ workspaceId, status: 'running', version: canvas }];
    const { trigger, inSegment, segment } = canvas.definition.entry;
    this.lookup = {
      triggeredBy: (_workspace, name) => (name === trigger?.event ? live : noLive),
      version: (id, version) => (id === canvas.canvasId && version === canvas.version ? canvas : undefined),
      segment: (_workspace, id) => (id === inSegment ? options.segment : undefined),
    };
    this.runs = segment ? segmentRunsIn(segment.runs, options.from, options.to).map((d) => d.getTime()) : [];
    const batchWindowMs = options.batchWindowMs ?? 5000;
    for (const step of canvas.definition.steps) {
      this.steps.set(step.id, {
        step,
        entered: 0,
        proceeded: 0,
        exited: 0,
        converted: 0,
        waiting: 0,
        branches:
          step.kind === 'audience_split'
            ? new Array<number>(step.branches.length + 1).fill(0)
            : step.kind === 'random_split'
              ? new Array<number>(step.paths.length).fill(0)
              : null,
        ways: waysByNext(step),
        samples: [],
        facebook:
          step.kind === 'facebook_audience'
            ? { synced: 0, noMatchKeys: 0, consent: 0, sends: new SendTicks(this.from, this.to, batchWindowMs) }
            : null,
      });
    }
  }

  /** Segment runs inside the window (segment-entry canvases): every profile must be fed then, events or not. */
  get segmentRuns(): number {
    return this.runs.length;
  }

  /** Replays one user's window. */
  user(input: ReplayUser): void {
    const { workspaceId, canvas } = this.options;
    const { userId } = input.profile;
    const events = input.events;
    if (events.length === 0 && this.runs.length === 0) return;
    this.replayedUsers += 1;
    resetUser(this.plan);
    const key = userKey(workspaceId, userId);
    const journey = journeyKey(workspaceId, userId, canvas.canvasId);
    const profile: ProfileState = { ...input.profile, workspaceId };
    // one state, emptied per user: it only ever holds the one user's entries
    const state = this.state;
    state.profiles.clear();
    state.journeys.clear();
    state.caps.clear();
    state.capRemaining.clear();
    delete state.histories;
    state.profiles.set(key, profile);
    const history = input.history ?? [];
    let seen = 0;
    const historyUntil = (now: number): readonly HistoryItem[] => {
      while (seen < history.length && history[seen]!.at.getTime() <= now) seen += 1;
      return history.slice(0, seen);
    };
    const { trigger, inSegment } = canvas.definition.entry;
    let timer: Timer | null = null;
    let entered = false;
    let e = 0;
    let r = 0;
    for (;;) {
      const eventAt = e < events.length ? events[e]!.at : Number.POSITIVE_INFINITY;
      const runAt = r < this.runs.length ? this.runs[r]! : Number.POSITIVE_INFINITY;
      const timerAt = timer ? timer.dueAt : Number.POSITIVE_INFINITY;
      const now = Math.min(eventAt, runAt, timerAt);
      if (!(now < this.to)) break;
      const at = new Date(now);
      this.beforeCall(state, now);
      // a delay due at the same moment as an event fires first, as the timer loop would have fired it already
      if (timer && timerAt === now) {
        const due = timer;
        planTimers(
          [{ workspaceId, userId, canvasId: canvas.canvasId, entrySeq: due.entrySeq, stepId: due.stepId }],
          state,
          this.lookup,
          at,
          this.plan,
        );
      } else if (runAt === now) {
        r += 1;
        if (this.member(profile, historyUntil(now), at))
          planSegmentEntries([{ workspaceId, userId }], canvas, state, at, this.plan);
      } else {
        const item = events[e]!;
        e += 1;
        this.replayedEvents += 1;
        if (inSegment !== undefined && item.event === trigger?.event)
          state.histories = new Map([[key, historyUntil(now)]]);
        // one event object, rewritten for each call: the engine reads events, it keeps none
        const parsed = this.batch[0];
        parsed.workspaceId = workspaceId;
        parsed.event.userId = userId;
        parsed.event.event = item.event;
        parsed.event.properties = item.properties;
        parsed.event.timestamp = at;
        planEvents(this.batch, state, this.lookup, at, this.plan);
      }
      // the journey's latest timer write: its timer now
      timer = timerOf(this.plan.timers.get(journey), timer);
      if (this.tally(state, profile, now)) entered = true;
    }
    if (entered) this.enteredUsers += 1;
    const last = state.journeys.get(key)?.get(canvas.canvasId);
    if (last?.status === 'waiting' && last.stepId !== null) {
      this.totals.waiting += 1;
      const step = this.steps.get(last.stepId);
      if (step) step.waiting += 1;
    }
  }

  private member(profile: ProfileState, history: readonly HistoryItem[], now: Date): boolean {
    const condition = this.options.segment;
    if (!condition) return false;
    return segmentMatches(
      condition,
      { profile: view(profile), history, advertisingId: deviceAdvertisingId(profile.context) },
      now,
    );
  }

  /** A fresh plan for one engine call; under an applied cap, whether it still admits an entry now. */
  private beforeCall(state: BatchState, now: number): void {
    resetPlan(this.plan);
    const cap = this.options.cap;
    if (cap === undefined || cap instanceof CapCounter) return;
    const canvasId = this.options.canvas.canvasId;
    state.caps.set(canvasId, 1);
    state.capRemaining.set(canvasId, cap.admits(now) ? 1 : 0);
  }

  /** Adds one engine call's effects; true when the user entered. */
  private tally(state: BatchState, profile: ProfileState, now: number): boolean {
    const plan = this.plan;
    const cap = this.options.cap;
    if (plan.outcomes.entered > 0) {
      if (cap instanceof CapCounter) cap.note(now);
      else cap?.entered(now);
    }
    this.totals.capped += plan.outcomes.capped;
    const counts = plan.counts;
    for (let i = 0; i < counts.length; i += 1) {
      const change = counts[i]!;
      if (change.stepId === canvasLevel) {
        this.countCanvas(change.metric);
        continue;
      }
      const step = this.steps.get(change.stepId);
      if (!step) continue;
      switch (change.metric) {
        case 'entered':
          step.entered += 1;
          if (step.samples.length < this.samples) step.samples.push(profile.userId);
          break;
        case 'proceeded':
          step.proceeded += 1;
          if (step.branches) this.countBranch(step, counts[i + 1], state, profile, now);
          break;
        case 'exited':
          step.exited += 1;
          break;
        case 'converted':
          step.converted += 1;
          break;
        default:
          break;
      }
    }
    for (const handoff of plan.handoffs) {
      const facebook = this.steps.get(handoff.step.id)?.facebook;
      if (!facebook) continue;
      const source = {
        userId: handoff.userId,
        traits: handoff.traits,
        advertisingId: deviceAdvertisingId(handoff.context),
      };
      const { status, reason } = handoffOutcome({
        audienceResolved: true,
        usable: this.options.usable(handoff.step.matchKeys, source, new Date(now).getUTCFullYear()),
        action: handoff.step.action,
        optedOut: adsOptedOut(handoff.traits, handoff.context),
        matchKeys: handoff.step.matchKeys,
      });
      if (status === 'pending') {
        facebook.synced += 1;
        facebook.sends.add(now);
      } else if (reason?.code === 'CONSENT') facebook.consent += 1;
      else facebook.noMatchKeys += 1;
    }
    return plan.outcomes.entered > 0;
  }

  private countCanvas(metric: string): void {
    const totals = this.totals;
    if (metric === 'entered') totals.entered += 1;
    else if (metric === 'control') totals.control += 1;
    else if (metric === 'converted') totals.converted += 1;
    else if (metric === 'control_converted') totals.controlConverted += 1;
    else if (metric === 'exited') totals.exited += 1;
    else if (metric === 'completed') totals.completed += 1;
  }

  /**
   * Which way the user left a split: read from the next count when the ways lead apart, else
   * decided again by the functions the step handlers decide with, on the same inputs.
   */
  private countBranch(
    step: StepTally,
    next: { stepId: string; metric: string } | undefined,
    state: BatchState,
    profile: ProfileState,
    now: number,
  ): void {
    if (!step.branches) return;
    const way = next && step.ways?.get(`${next.stepId}/${next.metric}`);
    if (way !== undefined) {
      step.branches[way]! += 1;
      return;
    }
    const { canvas, workspaceId } = this.options;
    const s = step.step;
    if (s.kind === 'audience_split') {
      const index = audienceSplitBranch(s, view(profile), new Date(now));
      step.branches[index < 0 ? s.branches.length : index]! += 1;
    } else if (s.kind === 'random_split') {
      const entrySeq = state.journeys.get(userKey(workspaceId, profile.userId))?.get(canvas.canvasId)?.entrySeq ?? 1;
      step.branches[randomSplitPath(s, canvas.canvasId, profile.userId, entrySeq)]! += 1;
    }
  }

  /** The numbers so far, per step in the canvas's order. */
  result(usersPerRequest = this.options.usersPerRequest ?? 10_000): ReplayResult {
    const steps: StepProjection[] = [...this.steps.values()].map((t) => {
      const s = t.step;
      return {
        stepId: s.id,
        kind: s.kind,
        name: s.name ?? null,
        entered: t.entered,
        proceeded: t.proceeded,
        exited: t.exited,
        converted: t.converted,
        waiting: t.waiting,
        branches: t.branches ? branchNumbers(s, t.branches) : null,
        facebook:
          t.facebook && s.kind === 'facebook_audience'
            ? {
                action: s.action,
                matchKeys: [...s.matchKeys],
                synced: t.facebook.synced,
                notSynced: {
                  total: t.facebook.noMatchKeys + t.facebook.consent,
                  noMatchKeys: t.facebook.noMatchKeys,
                  consent: t.facebook.consent,
                },
                ...t.facebook.sends.sends(usersPerRequest),
              }
            : null,
        sampleUserIds: [...t.samples],
      };
    });
    return {
      totals: { ...this.totals },
      steps,
      users: { replayed: this.replayedUsers, entered: this.enteredUsers },
      events: this.replayedEvents,
      segmentRuns: this.runs.length,
    };
  }
}

function view(profile: ProfileState): Profile {
  return { userId: profile.userId, traits: profile.traits, context: profile.context, firstSeenAt: profile.firstSeenAt };
}

function branchNumbers(step: Step, counts: readonly number[]): BranchNumbers[] {
  if (step.kind === 'audience_split')
    return [
      ...step.branches.map((b, index) => ({
        index,
        name: b.name ?? null,
        next: b.next,
        percent: null,
        users: counts[index] ?? 0,
      })),
      { index: null, name: 'else', next: step.else, percent: null, users: counts[step.branches.length] ?? 0 },
    ];
  if (step.kind === 'random_split')
    return step.paths.map((p, index) => ({
      index,
      name: p.name ?? null,
      next: p.next,
      percent: p.percent,
      users: counts[index] ?? 0,
    }));
  return [];
}
