-- Workspaces, their API keys and their Meta ad-account connections.

CREATE TABLE workspaces (
  id          uuid PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id            uuid PRIMARY KEY,
  workspace_id  uuid NOT NULL REFERENCES workspaces (id),
  label         text NOT NULL,
  key_hash      bytea NOT NULL UNIQUE,          -- SHA-256 of the key; the key itself is shown once
  key_prefix    text NOT NULL,                  -- first characters, to recognise a key in lists
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz
);
CREATE INDEX api_keys_workspace ON api_keys (workspace_id);

CREATE TABLE ad_accounts (
  id                uuid PRIMARY KEY,
  workspace_id      uuid NOT NULL REFERENCES workspaces (id),
  meta_account_id   text NOT NULL CHECK (meta_account_id ~ '^[0-9]+$'),   -- without the act_ prefix
  name              text NOT NULL,
  status            text NOT NULL CHECK (status IN ('connected', 'disconnected', 'tos_not_accepted')),
  status_reason     text,
  token_ciphertext  bytea NOT NULL,             -- AES-256-GCM: key id, iv, tag, ciphertext
  is_default        boolean NOT NULL DEFAULT false,
  added_by          text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, meta_account_id)
);
CREATE UNIQUE INDEX ad_accounts_one_default ON ad_accounts (workspace_id) WHERE is_default;
CREATE INDEX ad_accounts_meta ON ad_accounts (meta_account_id);
