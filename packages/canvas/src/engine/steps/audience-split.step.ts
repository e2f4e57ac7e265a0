import { userMatches } from '../conditions.js';
import type { StepHandler } from './step-handler.js';

/** The first branch whose conditions hold on the profile at this moment, else the else path. */
export const audienceSplitStep: StepHandler<'audience_split'> = (step, { profile, now }) => {
  const branch = step.branches.find((b) => userMatches(b.conditions, profile, now));
  return { kind: 'next', next: branch ? branch.next : step.else, effects: [] };
};
