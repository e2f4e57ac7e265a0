import type { Step } from '../model/step.schema.js';
import { runStep } from './steps/registry.js';
import { canvasLevel, type CanvasVersion, type Effect, type Journey, type Outcome, type Profile } from './types.js';

function stepById(canvas: CanvasVersion, id: string): Step | undefined {
  return canvas.definition.steps.find((s) => s.id === id);
}

/**
 * Walks the user from a step until a delay or the end of the journey. Every step reached
 * counts "entered"; every step left counts "proceeded"; reaching an end counts "completed".
 */
export function advanceFrom(
  canvas: CanvasVersion,
  journey: Journey,
  profile: Profile,
  from: string | null,
  now: Date,
): Outcome {
  const effects: Effect[] = [];
  let current = from;
  let last = journey.stepId;
  // the graph is acyclic, so a walk visits each step at most once
  for (let guard = 0; current !== null && guard <= canvas.definition.steps.length; guard += 1) {
    const step = stepById(canvas, current);
    if (!step) break;
    last = step.id;
    effects.push({ kind: 'count', stepId: step.id, metric: 'entered' });
    const result = runStep(step, { canvas, journey, profile, now });
    if (result.kind === 'wait') {
      effects.push({ kind: 'schedule_timer', stepId: step.id, dueAt: result.dueAt });
      return { journey: { ...journey, status: 'waiting', stepId: step.id }, effects };
    }
    if (result.kind === 'end') break;
    effects.push(...result.effects, { kind: 'count', stepId: step.id, metric: 'proceeded' });
    current = result.next;
  }
  effects.push({ kind: 'count', stepId: canvasLevel, metric: 'completed' });
  return { journey: { ...journey, status: 'completed', stepId: last }, effects };
}

/** A delay came due: the user leaves the delay step and walks on. Stale timers change nothing. */
export function fireTimer(
  canvas: CanvasVersion,
  journey: Journey,
  profile: Profile,
  stepId: string,
  entrySeq: number,
  now: Date,
): Outcome {
  if (journey.status !== 'waiting' || journey.stepId !== stepId || journey.entrySeq !== entrySeq)
    return { journey, effects: [] };
  const step = stepById(canvas, stepId);
  if (step?.kind !== 'delay') return { journey, effects: [] };
  const rest = advanceFrom(canvas, journey, profile, step.next, now);
  return { journey: rest.journey, effects: [{ kind: 'count', stepId, metric: 'proceeded' }, ...rest.effects] };
}

/** The canvas was archived while the user waited: the journey ends canceled and is counted so. */
export function cancelJourney(journey: Journey): Outcome {
  if (journey.status !== 'waiting') return { journey, effects: [] };
  return {
    journey: { ...journey, status: 'canceled' },
    effects: [{ kind: 'cancel_timer' }, { kind: 'count', stepId: canvasLevel, metric: 'canceled' }],
  };
}
