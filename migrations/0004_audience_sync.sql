-- The durable hand-off from the journey runner to the audience sync. Keyed by Meta ad
-- account so it can be distributed by it; holds hashed match values only.

CREATE TABLE audience_entries (
  id               bigserial,
  meta_account_id  text NOT NULL,
  ad_account_id    uuid NOT NULL,
  workspace_id     uuid NOT NULL,
  audience_id      text NOT NULL,
  action           text NOT NULL CHECK (action IN ('add', 'remove')),
  canvas_id        uuid NOT NULL,
  version          integer NOT NULL,
  step_id          text NOT NULL,
  user_id          text NOT NULL,
  entry_seq        integer NOT NULL,
  schema           text[] NOT NULL,
  row_values       text[] NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'synced', 'not_synced', 'errored')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  entered_at       timestamptz NOT NULL,
  deadline_at      timestamptz NOT NULL,
  last_error       jsonb,
  sent_at          timestamptz,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (meta_account_id, id),
  UNIQUE (meta_account_id, canvas_id, step_id, user_id, entry_seq)
);
CREATE INDEX audience_entries_due ON audience_entries (meta_account_id, next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX audience_entries_user ON audience_entries (canvas_id, step_id, user_id);

-- Pacing per Meta ad account, so a new owner continues where a dead one stopped.
CREATE TABLE meta_account_pacing (
  meta_account_id   text PRIMARY KEY,
  last_request_at   timestamptz,
  throttled_until   timestamptz,
  usage_percent     real,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
