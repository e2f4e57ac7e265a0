-- Segments (saved audiences over profiles and behaviour history) and the runs of canvases that
-- enter a segment's members on a schedule.

CREATE TABLE segments (
  id            uuid PRIMARY KEY,
  workspace_id  uuid NOT NULL REFERENCES workspaces (id),
  name          text NOT NULL,
  description   text,
  conditions    jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX segments_workspace ON segments (workspace_id, created_at DESC);

-- One row per run of a segment-entry canvas. A run materialises its candidates once, then
-- enters them a slice per transaction, moving `cursor` (the last user id handled) in the same
-- transaction as the journeys it wrote, so a killed run resumes where it stopped.
CREATE TABLE segment_runs (
  canvas_id     uuid NOT NULL REFERENCES canvases (id),
  scheduled_at  timestamptz NOT NULL,
  version       integer NOT NULL,
  status        text NOT NULL CHECK (status IN ('pending', 'running', 'finished')),
  started_at    timestamptz,
  finished_at   timestamptz,
  cursor        text,
  candidates    integer,
  evaluated     integer NOT NULL DEFAULT 0,
  members       integer NOT NULL DEFAULT 0,
  entered       integer NOT NULL DEFAULT 0,
  PRIMARY KEY (canvas_id, scheduled_at)
);
CREATE INDEX segment_runs_open ON segment_runs (scheduled_at) WHERE status <> 'finished';

CREATE TABLE segment_run_candidates (
  canvas_id     uuid NOT NULL,
  scheduled_at  timestamptz NOT NULL,
  workspace_id  uuid NOT NULL,
  user_id       text NOT NULL,
  PRIMARY KEY (canvas_id, scheduled_at, user_id),
  FOREIGN KEY (canvas_id, scheduled_at) REFERENCES segment_runs (canvas_id, scheduled_at) ON DELETE CASCADE
);
