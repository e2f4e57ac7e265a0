/** Where a user stands in a canvas; the database's CHECK lists the same values. */
export const journeyStatuses = ['waiting', 'completed', 'exited', 'control', 'canceled'] as const;
export type JourneyStatus = (typeof journeyStatuses)[number];

/** Counters the engine moves per step (canvas-level ones under the step id "$canvas"). */
export const journeyMetrics = [
  'entered',
  'proceeded',
  'exited',
  'converted',
  'control',
  'control_converted',
  'completed',
  'canceled',
] as const;
export type Metric = (typeof journeyMetrics)[number];

/** Where a user handed to a Facebook Audience step stands; each status is also that step's counter. */
export const audienceStatuses = ['pending', 'synced', 'not_synced', 'errored'] as const;
export type AudienceStatus = (typeof audienceStatuses)[number];

/** Every counter name a step can have: the one list writers, readers and metrics share. */
export const stepMetrics = [...journeyMetrics, ...audienceStatuses] as const;
export type StepMetric = (typeof stepMetrics)[number];

export const canvasLevel = '$canvas';
