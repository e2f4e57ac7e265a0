-- Erasure (GDPR art. 17, CCPA delete). The record keeps no raw PII: the user is known by a hash
-- of workspace and user id. It lists each audience the user is removed from and when Meta
-- confirmed it; the runner skips events of a suppressed user until the suppression ends.
CREATE TABLE erasures (
  id            uuid PRIMARY KEY,
  workspace_id  uuid NOT NULL REFERENCES workspaces (id),
  user_hash     text NOT NULL,
  status        text NOT NULL CHECK (status IN ('removing', 'completed')),
  requested_by  text NOT NULL,
  requested_at  timestamptz NOT NULL,
  completed_at  timestamptz,
  deleted_rows  jsonb NOT NULL DEFAULT '{}'
);
-- one erasure under way per user: asking again answers with it
CREATE UNIQUE INDEX erasures_one_open ON erasures (workspace_id, user_hash) WHERE status = 'removing';
CREATE INDEX erasures_open ON erasures (requested_at) WHERE status = 'removing';

CREATE TABLE erasure_removals (
  erasure_id       uuid NOT NULL REFERENCES erasures (id) ON DELETE CASCADE,
  meta_account_id  text NOT NULL,
  audience_id      text NOT NULL,
  -- the add the removal undoes (its removal hand-off has the same canvas, step and entry)
  canvas_id        uuid NOT NULL,
  step_id          text NOT NULL,
  entry_seq        integer NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'confirmed', 'not_synced', 'errored')),
  confirmed_at     timestamptz,
  last_error       jsonb,
  PRIMARY KEY (erasure_id, meta_account_id, audience_id)
);

CREATE TABLE suppressed_users (
  workspace_id  uuid NOT NULL,
  user_hash     text NOT NULL,
  until         timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, user_hash)
);

-- removals an erasure, or an opt-out from ads, hands to the sync
ALTER TABLE audience_entries DROP CONSTRAINT audience_entries_origin_check;
ALTER TABLE audience_entries ADD CONSTRAINT audience_entries_origin_check
  CHECK (origin IN ('step', 'segment_exit', 'erasure', 'consent'));

-- an erasure finds every hand-off of one user in a workspace
CREATE INDEX audience_entries_workspace_user ON audience_entries (workspace_id, user_id);
