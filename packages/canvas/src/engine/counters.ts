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

/**
 * Why an audience entry exists: the user reached the step, left the segment the step's audience
 * follows, was erased, or opted out of ads (the last three remove them from the step's audience).
 */
export const entryOrigins = ['step', 'segment_exit', 'erasure', 'consent'] as const;
export type EntryOrigin = (typeof entryOrigins)[number];

/**
 * Removals of members who stopped qualifying or were erased: how many, and where each stands,
 * counted apart from adds.
 */
export const removalMetrics = [
  'removed',
  'removed_pending',
  'removed_synced',
  'removed_not_synced',
  'removed_errored',
] as const;

/** Rows of a step's requests that Meta reported invalid (`num_invalid_entries`), adds and removals alike. */
export const invalidEntriesMetric = 'invalid_entries' as const;

/** Users Not synced because a value-based audience had no usable value for them (part of not_synced). */
export const noLookalikeValueMetric = 'not_synced_no_value' as const;

/** Every counter name a step can have: the one list writers, readers and metrics share. */
export const stepMetrics = [
  ...journeyMetrics,
  ...audienceStatuses,
  ...removalMetrics,
  invalidEntriesMetric,
  noLookalikeValueMetric,
] as const;
export type StepMetric = (typeof stepMetrics)[number];

/** The counter an audience entry's status moves. */
export const statusMetric = (status: AudienceStatus, origin: EntryOrigin): StepMetric =>
  origin === 'step' ? status : `removed_${status}`;

export const canvasLevel = '$canvas';
