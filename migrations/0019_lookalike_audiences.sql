-- Lookalikes that Facebook steps ask for (decision 36): one per source audience, countries and size
-- on a Meta ad account, as Meta allows one. The sync that owns the account claims a row
-- (status 'creating') before it asks Meta to create the lookalike; after a crash it looks the
-- lookalike up by its name before creating it again, so each is created once.
CREATE TABLE lookalike_audiences (
  meta_account_id      text NOT NULL,
  source_audience_id   text NOT NULL,
  countries            text[] NOT NULL CHECK (cardinality(countries) >= 1),
  ratio_percent        integer NOT NULL CHECK (ratio_percent BETWEEN 1 AND 20),
  workspace_id         uuid NOT NULL,
  canvas_id            uuid NOT NULL,
  step_id              text NOT NULL,
  name                 text NOT NULL,
  status               text NOT NULL CHECK (status IN ('waiting_for_source', 'creating', 'created', 'refused')),
  lookalike_id         text,
  source_size          bigint,
  meta_status          jsonb,
  message              text,
  attempts             integer NOT NULL DEFAULT 0,
  next_check_at        timestamptz NOT NULL,
  requested_at         timestamptz NOT NULL,
  claimed_at           timestamptz,
  lookalike_created_at timestamptz,
  updated_at           timestamptz NOT NULL,
  PRIMARY KEY (meta_account_id, source_audience_id, countries, ratio_percent),
  CHECK ((status = 'created') = (lookalike_id IS NOT NULL))
);
CREATE INDEX lookalike_audiences_due ON lookalike_audiences (meta_account_id, next_check_at);
