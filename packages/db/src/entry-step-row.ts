import type { AudienceStatus, EntryOrigin } from '@canvas/canvas';

/** The step an audience entry counts under, as a statement that moves entries returns it. */
export interface EntryStepRow {
  workspace_id: string;
  canvas_id: string;
  version: number;
  step_id: string;
  origin: EntryOrigin;
}

/** An entry's step with the status it had before the statement moved it. */
export interface MovedEntryRow extends EntryStepRow {
  was: AudienceStatus;
}
