-- How often a runner started on a partition's stored offset without getting past it: a runner
-- that keeps dying on one message quarantines it instead of crash-looping.
CREATE TABLE partition_attempts (
  consumer_group text NOT NULL,
  topic          text NOT NULL,
  partition      integer NOT NULL,
  message_offset bigint NOT NULL,
  attempts       integer NOT NULL CHECK (attempts > 0),
  first_at       timestamptz NOT NULL,
  last_at        timestamptz NOT NULL,
  PRIMARY KEY (consumer_group, topic, partition)
);

-- Offsets an operator moved past by hand (the CLI's `offsets skip`), kept as a record.
CREATE TABLE offset_skips (
  consumer_group text NOT NULL,
  topic          text NOT NULL,
  partition      integer NOT NULL,
  message_offset bigint NOT NULL,
  dead_lettered  boolean NOT NULL,
  reason         text NOT NULL,
  skipped_by     text NOT NULL,
  skipped_at     timestamptz NOT NULL,
  PRIMARY KEY (consumer_group, topic, partition, message_offset)
);
