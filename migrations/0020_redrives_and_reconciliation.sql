-- Re-drives and the reconciliation watch (docs/decisions/0037).

-- A re-drive: one request to send a Facebook step's Errored (and fixable Not synced) users again.
-- Who asked (the API key and its label), when, how many users it moved and why the others stayed.
CREATE TABLE redrives (
  id               uuid PRIMARY KEY,
  workspace_id     uuid NOT NULL REFERENCES workspaces (id),
  canvas_id        uuid NOT NULL REFERENCES canvases (id),
  step_id          text NOT NULL,
  requested_by     text NOT NULL,
  api_key_id       uuid NOT NULL,
  requested_at     timestamptz NOT NULL,
  idempotency_key  text CHECK (idempotency_key IS NULL OR length(idempotency_key) BETWEEN 1 AND 200),
  note             text CHECK (note IS NULL OR length(note) BETWEEN 1 AND 500),
  users            integer NOT NULL CHECK (users >= 0),
  moved            jsonb NOT NULL,
  skipped          jsonb NOT NULL,
  UNIQUE (workspace_id, idempotency_key)
);
CREATE INDEX redrives_step ON redrives (canvas_id, step_id, requested_at DESC);

-- The re-drive that last sent an entry again: its progress, and the per-user answer.
ALTER TABLE audience_entries ADD COLUMN redrive_id uuid;
CREATE INDEX audience_entries_redrive ON audience_entries (redrive_id) WHERE redrive_id IS NOT NULL;

-- A Facebook step whose numbers do not add up, as the watch last found it; a row only while they do not.
CREATE TABLE step_drift (
  canvas_id        uuid NOT NULL,
  step_id          text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('counters', 'removals', 'audience_size')),
  workspace_id     uuid NOT NULL,
  meta_account_id  text NOT NULL,
  expected         bigint NOT NULL,
  actual           bigint NOT NULL,
  gap              bigint NOT NULL CHECK (gap > 0),
  detail           jsonb NOT NULL,
  since            timestamptz NOT NULL,
  checked_at       timestamptz NOT NULL,
  PRIMARY KEY (canvas_id, step_id, kind)
);
CREATE INDEX step_drift_account ON step_drift (meta_account_id);

-- When the watch last checked the steps of a Meta ad account.
CREATE TABLE reconciliation_checks (
  meta_account_id  text PRIMARY KEY,
  checked_at       timestamptz NOT NULL,
  steps            integer NOT NULL
);

-- What Meta last reported of an audience's size, and what the counters allowed then and at the
-- read before (Meta needs time to apply an upload): at most (synced and pending adds, less synced
-- removals) and at least (synced adds, less synced and pending removals). Reads are spaced per
-- audience, and a new owner of the account goes on from here.
CREATE TABLE audience_size_checks (
  audience_id      text PRIMARY KEY,
  meta_account_id  text NOT NULL,
  checked_at       timestamptz NOT NULL,
  lower_bound      bigint,
  upper_bound      bigint,
  most             bigint NOT NULL,
  least            bigint NOT NULL,
  previous_most    bigint,
  previous_least   bigint
);
