-- Due timers are claimed one workspace at a time (docs/scaling.md: a locking statement stays on
-- one shard), oldest first: the index leads with the workspace so each claim reads only its own.
-- It replaces the index on due_at alone, so a timer write still maintains one index besides the key.
DROP INDEX timers_due;
CREATE INDEX timers_due ON timers (workspace_id, due_at);
