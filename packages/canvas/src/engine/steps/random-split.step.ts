import { percentile } from '../hash.js';
import type { StepHandler } from './step-handler.js';

/** A path chosen by a stable hash of user, canvas, entry and step: the same user always goes the same way. */
export const randomSplitStep: StepHandler<'random_split'> = (step, { canvas, journey, profile }) => {
  const roll = percentile(`${canvas.canvasId}:${profile.userId}:${journey.entrySeq}:${step.id}`);
  let cumulative = 0;
  for (const path of step.paths) {
    cumulative += path.percent;
    if (roll < cumulative) return { kind: 'next', next: path.next, effects: [] };
  }
  return { kind: 'next', next: step.paths[step.paths.length - 1]?.next ?? null, effects: [] };
};
