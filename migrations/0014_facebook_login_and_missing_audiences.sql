-- A Facebook Login in progress. The state the dialog carries is kept only as a hash; after the
-- code exchange the long-lived token is kept encrypted, with the ad accounts it reaches, until the
-- designer connects the ones they pick (or the login expires).
CREATE TABLE facebook_logins (
  id                 uuid PRIMARY KEY,
  workspace_id       uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  state_hash         text NOT NULL UNIQUE,
  redirect_uri       text NOT NULL,
  status             text NOT NULL CHECK (status IN ('started', 'authorized', 'denied', 'failed', 'connected')),
  failure            text,
  token_ciphertext   bytea,
  token_expires_at   timestamptz,
  reachable_accounts jsonb,
  started_by         text NOT NULL,
  created_at         timestamptz NOT NULL,
  expires_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  CHECK ((status = 'authorized') = (token_ciphertext IS NOT NULL))
);
CREATE INDEX facebook_logins_workspace ON facebook_logins (workspace_id, created_at);

-- Audiences Meta says no longer exist, as the sync found out; a later accepted write clears them.
CREATE TABLE missing_audiences (
  audience_id     text PRIMARY KEY,
  meta_account_id text NOT NULL,
  message         text NOT NULL,
  detected_at     timestamptz NOT NULL
);
