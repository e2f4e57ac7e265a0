-- History writes are on the live event path: keep only what segment questions read.
-- No query reads user_events by event across users (the rollup answers that), so that index
-- only cost every recorded event an extra index write.
DROP INDEX IF EXISTS user_events_by_event;

-- Rollup rows are updated in place all day; free space in each page lets those updates stay
-- heap-only (no index writes). New partitions are created with it; existing ones get it here.
DO $$
DECLARE part regclass;
BEGIN
  FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'user_event_days'::regclass LOOP
    EXECUTE format('ALTER TABLE %s SET (fillfactor = 80)', part);
  END LOOP;
END $$;
