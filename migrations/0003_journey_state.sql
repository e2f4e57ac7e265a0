-- What the journey runner keeps per user. Keyed by user so it can be distributed by user_id.

CREATE TABLE user_profiles (
  workspace_id   uuid NOT NULL,
  user_id        text NOT NULL,
  traits         jsonb NOT NULL DEFAULT '{}',
  context        jsonb NOT NULL DEFAULT '{}',   -- last seen app / os / device
  first_seen_at  timestamptz NOT NULL,
  last_seen_at   timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
);

-- The current (or last) journey of a user through a canvas.
CREATE TABLE journeys (
  workspace_id   uuid NOT NULL,
  user_id        text NOT NULL,
  canvas_id      uuid NOT NULL,
  entry_seq      integer NOT NULL,              -- 1 on first entry, +1 on each re-entry
  version        integer NOT NULL,
  status         text NOT NULL CHECK (status IN ('waiting', 'completed', 'exited', 'control', 'canceled')),
  step_id        text,
  entered_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  converted_at   timestamptz,
  PRIMARY KEY (workspace_id, user_id, canvas_id)
);

-- Durable delays: at most one per journey, fired by the timer loop.
CREATE TABLE timers (
  workspace_id  uuid NOT NULL,
  user_id       text NOT NULL,
  canvas_id     uuid NOT NULL,
  entry_seq     integer NOT NULL,
  step_id       text NOT NULL,
  due_at        timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, user_id, canvas_id)
);
CREATE INDEX timers_due ON timers (due_at);

-- Message ids already applied, so a re-sent event changes nothing.
CREATE TABLE processed_messages (
  workspace_id  uuid NOT NULL,
  user_id       text NOT NULL,
  message_id    text NOT NULL,
  processed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, user_id, message_id)
);
CREATE INDEX processed_messages_age ON processed_messages (processed_at);

-- Kafka offsets stored in the same transaction as the effects they produced.
CREATE TABLE consumer_offsets (
  consumer_group  text NOT NULL,
  topic           text NOT NULL,
  partition       integer NOT NULL,
  next_offset     bigint NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, topic, partition)
);

-- Per-step counters, sharded by writer so partitions never queue on one hot row.
CREATE TABLE step_counters (
  canvas_id  uuid NOT NULL,
  version    integer NOT NULL,
  step_id    text NOT NULL,                     -- '$canvas' for canvas-level numbers
  metric     text NOT NULL,
  bucket     timestamptz NOT NULL,              -- the hour the change happened in
  shard      integer NOT NULL,
  value      bigint NOT NULL,
  PRIMARY KEY (canvas_id, version, step_id, metric, bucket, shard)
);
