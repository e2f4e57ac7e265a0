import { durationMs } from '../model/duration.js';
import { eventMatches } from './conditions.js';
import { canvasLevel, type CanvasVersion, type Effect, type Journey, type Outcome, type UserEvent } from './types.js';

/**
 * An event for a user already in the canvas: it may convert the journey (goal event within
 * the window, control group included) and may end a waiting journey (exit criteria).
 */
export function applyJourneyEvent(canvas: CanvasVersion, journey: Journey, event: UserEvent, now: Date): Outcome {
  if (event.type !== 'track') return { journey, effects: [] };
  const effects: Effect[] = [];
  let next = journey;
  const goal = canvas.definition.conversionGoal;
  if (
    goal &&
    journey.convertedAt === null &&
    event.event === goal.event &&
    eventMatches(goal.conditions, event) &&
    now.getTime() <= journey.enteredAt.getTime() + (durationMs(goal.within) ?? 0) &&
    journey.status !== 'canceled'
  ) {
    next = { ...next, convertedAt: now };
    const control = journey.status === 'control';
    effects.push({ kind: 'count', stepId: canvasLevel, metric: control ? 'control_converted' : 'converted' });
    if (!control && journey.stepId) effects.push({ kind: 'count', stepId: journey.stepId, metric: 'converted' });
  }
  if (
    next.status === 'waiting' &&
    canvas.definition.exitCriteria.some((c) => c.event === event.event && eventMatches(c.conditions, event))
  ) {
    effects.push(
      { kind: 'cancel_timer' },
      ...(next.stepId ? [{ kind: 'count' as const, stepId: next.stepId, metric: 'exited' as const }] : []),
      { kind: 'count', stepId: canvasLevel, metric: 'exited' },
    );
    next = { ...next, status: 'exited' };
  }
  return { journey: next, effects };
}
