import type { MatchKey } from '../model/match-keys.js';
import type { StepKind } from '../model/step.schema.js';

/** The users who took one way out of a split. */
export interface BranchNumbers {
  /** The branch's (or path's) position in the step; null for an audience split's else path. */
  index: number | null;
  name: string | null;
  next: string | null;
  /** A random split path's share. */
  percent: number | null;
  users: number;
}

/** What a Facebook step would do with the users reaching it. */
export interface FacebookProjection {
  action: 'add' | 'remove';
  matchKeys: MatchKey[];
  /** Users the step would hand to the sync: the sync would send them to Meta (Synced once Meta accepts). */
  synced: number;
  notSynced: {
    total: number;
    /** No usable value for any identifier among the step's keys (NO_MATCH_KEYS). */
    noMatchKeys: number;
    /** Opted out of ads or data sharing (CONSENT; adds only). */
    consent: number;
  };
  /** Requests the sync would make for the synced users: one per 5-s batch window holding any, ≤ 10,000 users each. */
  requests: number;
  /** Per hour of the window: users sent and requests made. */
  hourlyUsers: number[];
  hourlyRequests: number[];
}

export interface StepProjection {
  stepId: string;
  kind: StepKind;
  name: string | null;
  entered: number;
  proceeded: number;
  exited: number;
  converted: number;
  /** Still waiting in this delay when the window ends. */
  waiting: number;
  branches: BranchNumbers[] | null;
  facebook: FacebookProjection | null;
  /** The first users (in user-id order) who reached the step. */
  sampleUserIds: string[];
}

export interface ReplayTotals {
  entered: number;
  control: number;
  converted: number;
  controlConverted: number;
  exited: number;
  completed: number;
  /** Entries the target cap refused. */
  capped: number;
  /** Still inside the canvas (in a delay) when the window ends. */
  waiting: number;
}

export interface ReplayResult {
  totals: ReplayTotals;
  steps: StepProjection[];
  users: {
    /** Users whose behaviour was replayed (a window event, or a segment run that looked at them). */
    replayed: number;
    /** Distinct users who entered at least once. */
    entered: number;
  };
  /** Window events replayed through the engine. */
  events: number;
  /** Segment runs of a segment-entry canvas that fell inside the window. */
  segmentRuns: number;
}
