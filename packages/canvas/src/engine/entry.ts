import { durationMs } from '../model/duration.js';
import { advanceFrom } from './advance.js';
import { eventMatches, userMatches } from './conditions.js';
import { percentile } from './hash.js';
import { canvasLevel, type CanvasVersion, type Journey, type Outcome, type Profile, type UserEvent } from './types.js';

export type EntryDecision =
  | { enter: true; entrySeq: number; control: boolean }
  | {
      enter: false;
      reason:
        | 'not_triggered'
        | 'event_conditions'
        | 'segment'
        | 'schedule'
        | 'already_active'
        | 'no_reentry'
        | 'cooldown'
        | 'filters';
    };

/** True when the user belongs to the canvas's control group; stable per user and canvas. */
export function inControlGroup(canvasId: string, userId: string, percent: number): boolean {
  return percent > 0 && percentile(`control:${canvasId}:${userId}`) < percent;
}

/** The rules every entry obeys, whatever brought the user: schedule window, re-entry policy, filters, control draw. */
function admit(canvas: CanvasVersion, profile: Profile, previous: Journey | undefined, now: Date): EntryDecision {
  const { entry } = canvas.definition;
  const { startAt, endAt } = entry.schedule ?? {};
  if ((startAt && now.getTime() < Date.parse(startAt)) || (endAt && now.getTime() >= Date.parse(endAt)))
    return { enter: false, reason: 'schedule' };
  if (previous) {
    if (previous.status === 'waiting') return { enter: false, reason: 'already_active' };
    if (entry.reentry.policy === 'never') return { enter: false, reason: 'no_reentry' };
    if (now.getTime() < previous.enteredAt.getTime() + (durationMs(entry.reentry.cooldown) ?? 0))
      return { enter: false, reason: 'cooldown' };
  }
  if (!userMatches(entry.filters, profile, now)) return { enter: false, reason: 'filters' };
  return {
    enter: true,
    entrySeq: (previous?.entrySeq ?? 0) + 1,
    control: inControlGroup(canvas.canvasId, profile.userId, entry.controlGroupPercent),
  };
}

/** Answers whether the user is a member of a segment now; unknown segments have no members. */
export type SegmentMembership = (segmentId: string) => boolean;

/**
 * Whether an event lets the user enter: trigger and its conditions, the entry segment if any,
 * then the rules every entry obeys. The target cap is the caller's to check.
 */
export function decideEntry(
  canvas: CanvasVersion,
  event: UserEvent,
  profile: Profile,
  previous: Journey | undefined,
  now: Date,
  isMember: SegmentMembership = () => false,
): EntryDecision {
  const { trigger, inSegment } = canvas.definition.entry;
  if (!trigger || event.type !== 'track' || event.event !== trigger.event)
    return { enter: false, reason: 'not_triggered' };
  if (!eventMatches(trigger.conditions, event)) return { enter: false, reason: 'event_conditions' };
  const admitted = admit(canvas, profile, previous, now);
  // the segment is judged last: it is the only rule that reads behaviour history
  if (admitted.enter && inSegment !== undefined && !isMember(inSegment)) return { enter: false, reason: 'segment' };
  return admitted;
}

/** Whether a member found by a segment run enters: the rules every entry obeys. The caller checks the cap. */
export function decideSegmentEntry(
  canvas: CanvasVersion,
  profile: Profile,
  previous: Journey | undefined,
  now: Date,
): EntryDecision {
  if (!canvas.definition.entry.segment) return { enter: false, reason: 'not_triggered' };
  return admit(canvas, profile, previous, now);
}

/** Starts a journey: counted as entered; a control-group user stops there, everyone else walks from the first step. */
export function startJourney(
  canvas: CanvasVersion,
  profile: Profile,
  decision: { entrySeq: number; control: boolean },
  now: Date,
): Outcome {
  const journey: Journey = {
    canvasId: canvas.canvasId,
    version: canvas.version,
    entrySeq: decision.entrySeq,
    status: 'control',
    stepId: null,
    enteredAt: now,
    convertedAt: null,
  };
  const entered = { kind: 'count' as const, stepId: canvasLevel, metric: 'entered' as const };
  if (decision.control) {
    return { journey, effects: [entered, { kind: 'count', stepId: canvasLevel, metric: 'control' }] };
  }
  const walk = advanceFrom(canvas, journey, profile, canvas.definition.firstStep, now);
  return { journey: walk.journey, effects: [entered, ...walk.effects] };
}
