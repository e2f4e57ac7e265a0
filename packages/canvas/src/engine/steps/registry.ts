import type { Step, StepKind } from '../../model/step.schema.js';
import { audienceSplitStep } from './audience-split.step.js';
import { delayStep } from './delay.step.js';
import { exitStep } from './exit.step.js';
import { facebookAudienceStep } from './facebook-audience.step.js';
import { randomSplitStep } from './random-split.step.js';
import type { StepContext, StepHandler, StepResult } from './step-handler.js';

/** One handler per step kind; adding a kind without a handler does not compile. */
const handlers: { [K in StepKind]: StepHandler<K> } = {
  delay: delayStep,
  audience_split: audienceSplitStep,
  random_split: randomSplitStep,
  facebook_audience: facebookAudienceStep,
  exit: exitStep,
};

export function runStep(step: Step, context: StepContext): StepResult {
  const handler = handlers[step.kind] as StepHandler<typeof step.kind>;
  return handler(step, context);
}
