import type { CanvasDefinition } from '../model/canvas.schema.js';
import type { FacebookAudienceStep } from '../model/step.schema.js';

/** A launched, immutable version of a canvas. */
export interface CanvasVersion {
  canvasId: string;
  version: number;
  definition: CanvasDefinition;
}

import type { JourneyStatus, Metric } from './counters.js';

export type { JourneyStatus, Metric } from './counters.js';
export { canvasLevel } from './counters.js';

/** Where one user stands in one canvas. */
export interface Journey {
  canvasId: string;
  version: number;
  entrySeq: number;
  status: JourneyStatus;
  /** The step the user waits at, or the last step for a finished journey. */
  stepId: string | null;
  enteredAt: Date;
  convertedAt: Date | null;
}

/** What the engine knows of a user when it decides. */
export interface Profile {
  userId: string;
  traits: Readonly<Record<string, unknown>>;
  /** Last seen app / os / device, from event context. */
  context: Readonly<Record<string, unknown>>;
  firstSeenAt: Date;
}

/** A validated user event. */
export interface UserEvent {
  type: 'track' | 'identify';
  messageId: string;
  userId: string;
  /** The track event's name. */
  event?: string | undefined;
  properties: Readonly<Record<string, unknown>>;
  timestamp: Date;
}

/** What the shell must do after a decision, as data. */
export type Effect =
  | { kind: 'count'; stepId: string; metric: Metric }
  | { kind: 'schedule_timer'; stepId: string; dueAt: Date }
  | { kind: 'cancel_timer' }
  | { kind: 'audience_handoff'; step: FacebookAudienceStep };

export interface Outcome {
  journey: Journey;
  effects: Effect[];
}
