import type { Step, StepKind } from '../../model/step.schema.js';
import type { CanvasVersion, Effect, Journey, Profile } from '../types.js';

export interface StepContext {
  canvas: CanvasVersion;
  journey: Journey;
  profile: Profile;
  now: Date;
}

/** What a step decides: move on (with effects), wait until a time, or end the journey. */
export type StepResult =
  { kind: 'next'; next: string | null; effects: Effect[] } | { kind: 'wait'; dueAt: Date } | { kind: 'end' };

export type StepHandler<K extends StepKind> = (step: Extract<Step, { kind: K }>, context: StepContext) => StepResult;
