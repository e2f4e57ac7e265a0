-- Behaviour history: every applied track event, per user, and a per-user daily rollup for
-- "did / did not, how often, when". Both are partitioned by day so that retention drops whole
-- partitions; the runner creates partitions ahead of time (docs/decisions/0019). Keyed by
-- workspace and user first, so both can be distributed by user.

CREATE TABLE user_events (
  workspace_id  uuid NOT NULL,
  user_id       text NOT NULL,
  event         text NOT NULL,
  occurred_at   timestamptz NOT NULL,
  message_id    text NOT NULL,
  properties    jsonb NOT NULL DEFAULT '{}'
) PARTITION BY RANGE (occurred_at);
CREATE INDEX user_events_by_user ON user_events (workspace_id, user_id, event, occurred_at);
CREATE INDEX user_events_by_event ON user_events (workspace_id, event, occurred_at);

CREATE TABLE user_event_days (
  workspace_id  uuid NOT NULL,
  user_id       text NOT NULL,
  event         text NOT NULL,
  day           date NOT NULL,
  occurrences   integer NOT NULL,
  first_at      timestamptz NOT NULL,
  last_at       timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, user_id, event, day)
) PARTITION BY RANGE (day);
CREATE INDEX user_event_days_by_event ON user_event_days (workspace_id, event, day);
