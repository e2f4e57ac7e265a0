import type { StepHandler } from './step-handler.js';

/** Hands the user to the audience sync and moves on at once, as Braze does. */
export const facebookAudienceStep: StepHandler<'facebook_audience'> = (step) => ({
  kind: 'next',
  next: step.next,
  effects: [{ kind: 'audience_handoff', step }],
});
