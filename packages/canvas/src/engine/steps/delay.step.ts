import { durationMs } from '../../model/duration.js';
import { nextTimeOfDay } from '../time-of-day.js';
import type { StepHandler } from './step-handler.js';

/** Waits for a duration, or until the next time of day in a time zone. */
export const delayStep: StepHandler<'delay'> = (step, { now }) => {
  if (step.until) return { kind: 'wait', dueAt: nextTimeOfDay(now, step.until.time, step.until.timezone) };
  return { kind: 'wait', dueAt: new Date(now.getTime() + (durationMs(step.duration ?? '0s') ?? 0)) };
};
