import type { RandomSplitStep } from '../../model/step.schema.js';
import { percentile } from '../hash.js';
import type { StepHandler } from './step-handler.js';

/** The index of the path a user takes: a stable hash of user, canvas, entry and step, so always the same one. */
export function randomSplitPath(step: RandomSplitStep, canvasId: string, userId: string, entrySeq: number): number {
  const roll = percentile(`${canvasId}:${userId}:${entrySeq}:${step.id}`);
  let cumulative = 0;
  for (const [index, path] of step.paths.entries()) {
    cumulative += path.percent;
    if (roll < cumulative) return index;
  }
  return step.paths.length - 1;
}

/** A path chosen by a stable hash of user, canvas, entry and step: the same user always goes the same way. */
export const randomSplitStep: StepHandler<'random_split'> = (step, { canvas, journey, profile }) => ({
  kind: 'next',
  next: step.paths[randomSplitPath(step, canvas.canvasId, profile.userId, journey.entrySeq)]?.next ?? null,
  effects: [],
});
