import type { AudienceSplitStep } from '../../model/step.schema.js';
import { userMatches } from '../conditions.js';
import type { Profile } from '../types.js';
import type { StepHandler } from './step-handler.js';

/** The index of the first branch whose conditions hold on the profile at this moment; -1 for the else path. */
export function audienceSplitBranch(step: AudienceSplitStep, profile: Profile, now: Date): number {
  return step.branches.findIndex((b) => userMatches(b.conditions, profile, now));
}

/** The first branch whose conditions hold on the profile at this moment, else the else path. */
export const audienceSplitStep: StepHandler<'audience_split'> = (step, { profile, now }) => {
  const branch = step.branches[audienceSplitBranch(step, profile, now)];
  return { kind: 'next', next: branch ? branch.next : step.else, effects: [] };
};
