import type { ParsedEvent } from '../events/parse-event.js';
import type { FacebookAudienceStep } from '../model/step.schema.js';
import { cancelJourney, fireTimer } from './advance.js';
import { decideEntry, decideSegmentEntry, startJourney, type SegmentMembership } from './entry.js';
import { applyJourneyEvent } from './journey-events.js';
import type { CanvasVersion, Journey, Metric, Outcome, Profile } from './types.js';
import { segmentMatches, type HistoryItem } from '../segment/evaluate.js';
import type { SegmentCondition } from '../segment/segment.schema.js';
import { deviceAdvertisingId } from '../model/match-source.js';
import { journeyKey, userKey } from '../keys/keys.js';

/** A user's profile as the runner holds it during a batch. */
export interface ProfileState {
  workspaceId: string;
  userId: string;
  traits: Record<string, unknown>;
  context: Record<string, unknown>;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

/** A launched canvas version that new entrants can get. */
export interface LiveCanvas {
  workspaceId: string;
  status: 'running' | 'paused';
  version: CanvasVersion;
}

/** What the planner may ask about canvases; the runner answers from its index. */
export interface CanvasLookup {
  triggeredBy: (workspaceId: string, eventName: string) => readonly LiveCanvas[];
  /** Any version a journey may still be on. */
  version: (canvasId: string, version: number) => CanvasVersion | undefined;
  /** The conditions of a segment a live canvas filters its entries by. */
  segment?: (workspaceId: string, segmentId: string) => SegmentCondition | undefined;
}

export interface TimerWrite {
  stepId: string;
  entrySeq: number;
  dueAt: Date;
}

export interface Handoff {
  workspaceId: string;
  userId: string;
  canvasId: string;
  version: number;
  entrySeq: number;
  step: FacebookAudienceStep;
  /** The profile at the moment the user reached the step. */
  traits: Record<string, unknown>;
  context: Record<string, unknown>;
}

export interface CountChange {
  workspaceId: string;
  canvasId: string;
  version: number;
  stepId: string;
  metric: Metric;
  delta: number;
}

/** The writes a batch produces, for one transaction. */
export interface Plan {
  profiles: Set<string>;
  journeys: Set<string>;
  /** Per journey key: the timer to set, or null to delete it. */
  timers: Map<string, TimerWrite | null>;
  handoffs: Handoff[];
  counts: CountChange[];
  /** New entrants per capped canvas. */
  entrants: Map<string, number>;
  outcomes: { applied: number; entered: number; capped: number };
}

/** Everything loaded for a batch, changed in place as the plan is built. */
export interface BatchState {
  profiles: Map<string, ProfileState>;
  /** Per user key: the user's journeys by canvas id. */
  journeys: Map<string, Map<string, Journey>>;
  /** Entries still allowed per capped canvas (cap − entrants, rows locked by the caller). */
  capRemaining: Map<string, number>;
  /** Canvas ids caps apply to, with their cap. */
  caps: Map<string, number>;
  /** Per user key: the behaviour history entry segments read (loaded only for users who need it). */
  histories?: Map<string, readonly HistoryItem[]>;
}

export function emptyPlan(): Plan {
  return {
    profiles: new Set(),
    journeys: new Set(),
    timers: new Map(),
    handoffs: [],
    counts: [],
    entrants: new Map(),
    outcomes: { applied: 0, entered: 0, capped: 0 },
  };
}

function view(profile: ProfileState): Profile {
  return { userId: profile.userId, traits: profile.traits, context: profile.context, firstSeenAt: profile.firstSeenAt };
}

/** A batch user's profile, as loaded and locked for the transaction. */
const profileOf = (state: BatchState, workspaceId: string, userId: string) =>
  state.profiles.get(userKey(workspaceId, userId));

export function journeyOf(
  state: BatchState,
  workspaceId: string,
  userId: string,
  canvasId: string,
): Journey | undefined {
  return state.journeys.get(userKey(workspaceId, userId))?.get(canvasId);
}

function record(plan: Plan, state: BatchState, canvas: CanvasVersion, profile: ProfileState, outcome: Outcome): void {
  const key = journeyKey(profile.workspaceId, profile.userId, canvas.canvasId);
  const journey = outcome.journey;
  const user = userKey(profile.workspaceId, profile.userId);
  const byCanvas = state.journeys.get(user) ?? new Map<string, Journey>();
  if (outcome.effects.length === 0 && byCanvas.get(canvas.canvasId) === journey) return;
  byCanvas.set(canvas.canvasId, journey);
  state.journeys.set(user, byCanvas);
  plan.journeys.add(key);
  for (const effect of outcome.effects) {
    switch (effect.kind) {
      case 'count':
        plan.counts.push({
          workspaceId: profile.workspaceId,
          canvasId: canvas.canvasId,
          version: journey.version,
          stepId: effect.stepId,
          metric: effect.metric,
          delta: 1,
        });
        break;
      case 'schedule_timer':
        plan.timers.set(key, { stepId: effect.stepId, entrySeq: journey.entrySeq, dueAt: effect.dueAt });
        break;
      case 'cancel_timer':
        plan.timers.set(key, null);
        break;
      case 'audience_handoff':
        plan.handoffs.push({
          workspaceId: profile.workspaceId,
          userId: profile.userId,
          canvasId: canvas.canvasId,
          version: journey.version,
          entrySeq: journey.entrySeq,
          step: effect.step,
          traits: { ...profile.traits },
          context: { ...profile.context },
        });
        break;
    }
  }
}

function mergeTraits(current: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  const next = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    // Segment semantics: a trait set to null is removed
    if (value === null) delete next[name];
    else next[name] = value;
  }
  return next;
}

/** Enters a user whose entry was decided, unless the canvas's target cap is used up. */
function enter(
  plan: Plan,
  state: BatchState,
  canvas: CanvasVersion,
  profile: ProfileState,
  decision: { entrySeq: number; control: boolean },
  now: Date,
): void {
  const canvasId = canvas.canvasId;
  if (state.caps.has(canvasId)) {
    const remaining = state.capRemaining.get(canvasId) ?? 0;
    if (remaining <= 0) {
      plan.outcomes.capped += 1;
      return;
    }
    state.capRemaining.set(canvasId, remaining - 1);
    plan.entrants.set(canvasId, (plan.entrants.get(canvasId) ?? 0) + 1);
  }
  plan.outcomes.entered += 1;
  record(plan, state, canvas, profile, startJourney(canvas, view(profile), decision, now));
}

/**
 * Enters the members a segment run found (their profiles loaded and locked in `state`) into
 * one canvas, under the same re-entry rules, filters, cap and control group as live entries.
 */
export function planSegmentEntries(
  members: readonly { workspaceId: string; userId: string }[],
  canvas: CanvasVersion,
  state: BatchState,
  now: Date,
  plan: Plan = emptyPlan(),
): Plan {
  for (const member of members) {
    const profile = profileOf(state, member.workspaceId, member.userId);
    if (!profile) continue;
    plan.outcomes.applied += 1;
    const previous = journeyOf(state, member.workspaceId, member.userId, canvas.canvasId);
    const decision = decideSegmentEntry(canvas, view(profile), previous, now);
    if (decision.enter) enter(plan, state, canvas, profile, decision, now);
  }
  return plan;
}

/** Segment membership of the user as the profile stands now, on the history loaded for the batch. */
function membership(state: BatchState, canvases: CanvasLookup, profile: ProfileState, now: Date): SegmentMembership {
  return (segmentId) => {
    const condition = canvases.segment?.(profile.workspaceId, segmentId);
    if (!condition) return false;
    const history = state.histories?.get(userKey(profile.workspaceId, profile.userId)) ?? [];
    return segmentMatches(
      condition,
      { profile: view(profile), history, advertisingId: deviceAdvertisingId(profile.context) },
      now,
    );
  };
}

/**
 * Applies a partition's events in order: profile updates, exits and conversions of journeys
 * the user is in, then entries into running canvases the event triggers (respecting caps).
 */
export function planEvents(
  events: readonly ParsedEvent[],
  state: BatchState,
  canvases: CanvasLookup,
  now: Date,
  plan: Plan = emptyPlan(),
): Plan {
  for (const { event, workspaceId, traits, context } of events) {
    const profile = profileOf(state, workspaceId, event.userId);
    if (!profile) continue;
    plan.outcomes.applied += 1;
    if (Object.keys(traits).length > 0 || Object.keys(context).length > 0) {
      profile.traits = mergeTraits(profile.traits, traits);
      profile.context = { ...profile.context, ...context };
      plan.profiles.add(userKey(workspaceId, event.userId));
    }
    if (event.timestamp > profile.lastSeenAt) {
      profile.lastSeenAt = event.timestamp;
      plan.profiles.add(userKey(workspaceId, event.userId));
    }
    if (event.type !== 'track' || !event.event) continue;

    for (const journey of [...(state.journeys.get(userKey(workspaceId, event.userId))?.values() ?? [])]) {
      const canvas = canvases.version(journey.canvasId, journey.version);
      if (canvas) record(plan, state, canvas, profile, applyJourneyEvent(canvas, journey, event, now));
    }

    for (const live of canvases.triggeredBy(workspaceId, event.event)) {
      if (live.status !== 'running') continue;
      const decision = decideEntry(
        live.version,
        event,
        view(profile),
        journeyOf(state, workspaceId, event.userId, live.version.canvasId),
        now,
        membership(state, canvases, profile, now),
      );
      if (decision.enter) enter(plan, state, live.version, profile, decision, now);
    }
  }
  return plan;
}

export interface DueTimer {
  workspaceId: string;
  userId: string;
  canvasId: string;
  entrySeq: number;
  stepId: string;
  /** The canvas was archived: the waiting journey is canceled instead of moved on. */
  canvasArchived?: boolean;
}

/** Fires due delays; a timer whose journey moved on is deleted without effect. */
export function planTimers(
  timers: readonly DueTimer[],
  state: BatchState,
  canvases: CanvasLookup,
  now: Date,
  plan: Plan = emptyPlan(),
): Plan {
  for (const timer of timers) {
    const key = journeyKey(timer.workspaceId, timer.userId, timer.canvasId);
    plan.timers.set(key, null);
    const journey = journeyOf(state, timer.workspaceId, timer.userId, timer.canvasId);
    const profile = profileOf(state, timer.workspaceId, timer.userId);
    const canvas = journey && canvases.version(journey.canvasId, journey.version);
    if (!journey || !profile || !canvas) continue;
    const outcome = timer.canvasArchived
      ? cancelJourney(journey)
      : fireTimer(canvas, journey, view(profile), timer.stepId, timer.entrySeq, now);
    if (outcome.effects.length > 0) plan.outcomes.applied += 1;
    record(plan, state, canvas, profile, outcome);
  }
  return plan;
}
