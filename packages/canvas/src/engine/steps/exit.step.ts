import type { StepHandler } from './step-handler.js';

export const exitStep: StepHandler<'exit'> = () => ({ kind: 'end' });
