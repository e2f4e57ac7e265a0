-- Resyncs of audiences that follow a segment: the step's members replace the Meta audience's
-- through one replace session (usersreplace), batch by batch, resumable after a kill. Keyed by
-- Meta ad account like audience_entries, since the account's owner in the sync drives them.
CREATE TABLE audience_resyncs (
  id                  uuid NOT NULL,
  meta_account_id     text NOT NULL,
  workspace_id        uuid NOT NULL,
  canvas_id           uuid NOT NULL,
  step_id             text NOT NULL,
  ad_account_id       uuid NOT NULL,
  audience_id         text NOT NULL,
  status              text NOT NULL
    CHECK (status IN ('waiting', 'uploading', 'confirming', 'done', 'unconfirmed', 'failed')),
  requested_by        text NOT NULL,
  -- the segment run whose result it uploads; null when it uploads the members as they are
  run_scheduled_at    timestamptz,
  session_id          bigint,
  sessions_started    integer NOT NULL DEFAULT 0,
  session_started_at  timestamptz,
  batch_size          integer,
  members             integer,
  batches             integer,
  batches_sent        integer NOT NULL DEFAULT 0,
  schema              text[],
  added               integer,
  removed             integer,
  invalid_entries     integer NOT NULL DEFAULT 0,
  stage               text,
  attempts            integer NOT NULL DEFAULT 0,
  next_attempt_at     timestamptz NOT NULL,
  last_error          jsonb,
  requested_at        timestamptz NOT NULL,
  started_at          timestamptz,
  confirming_since    timestamptz,
  finished_at         timestamptz,
  updated_at          timestamptz NOT NULL,
  PRIMARY KEY (meta_account_id, id),
  UNIQUE (meta_account_id, session_id)
);
-- one open resync per step; a scheduled run asks for one resync per step
CREATE UNIQUE INDEX audience_resyncs_open_step ON audience_resyncs (workspace_id, canvas_id, step_id)
  WHERE status IN ('waiting', 'uploading', 'confirming');
CREATE UNIQUE INDEX audience_resyncs_run ON audience_resyncs (workspace_id, canvas_id, step_id, run_scheduled_at)
  WHERE run_scheduled_at IS NOT NULL;
CREATE INDEX audience_resyncs_step ON audience_resyncs (workspace_id, canvas_id, step_id, requested_at);

-- The members a resync uploads, fixed when it starts and numbered into batches in user order, so a
-- resumed session sends exactly the batches it had not sent. Dropped when the resync ends.
CREATE TABLE audience_resync_members (
  meta_account_id  text NOT NULL,
  resync_id        uuid NOT NULL,
  workspace_id     uuid NOT NULL,
  batch            integer NOT NULL,
  user_id          text NOT NULL,
  entry_seq        integer NOT NULL,
  schema           text[] NOT NULL,
  row_values       text[] NOT NULL,
  -- Meta named the row invalid in its answer: the user is left to the usual path
  refused          boolean NOT NULL DEFAULT false,
  PRIMARY KEY (meta_account_id, resync_id, user_id)
);
CREATE INDEX audience_resync_members_batch ON audience_resync_members (meta_account_id, resync_id, batch, user_id);
-- an erasure deletes a user's rows at once, as it does their other tables
CREATE INDEX audience_resync_members_user ON audience_resync_members (workspace_id, user_id);
