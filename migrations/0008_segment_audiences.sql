-- Audiences that follow their segment: who each following step has put in its audience, and
-- removal hand-offs for members who stopped qualifying (origin 'segment_exit'), counted apart
-- from the step's own adds. A removal carries the entry_seq of the add it undoes.

ALTER TABLE audience_entries
  ADD COLUMN origin text NOT NULL DEFAULT 'step' CHECK (origin IN ('step', 'segment_exit'));
ALTER TABLE audience_entries DROP CONSTRAINT audience_entries_handoff_once;
ALTER TABLE audience_entries ADD CONSTRAINT audience_entries_handoff_once
  UNIQUE NULLS NOT DISTINCT (meta_account_id, canvas_id, step_id, user_id, entry_seq, action);

CREATE TABLE segment_audience_members (
  canvas_id     uuid NOT NULL,
  step_id       text NOT NULL,
  workspace_id  uuid NOT NULL,
  user_id       text NOT NULL,
  entry_seq     integer NOT NULL,
  added_at      timestamptz NOT NULL,
  PRIMARY KEY (canvas_id, step_id, user_id)
);

ALTER TABLE segment_runs ADD COLUMN removed integer NOT NULL DEFAULT 0;
