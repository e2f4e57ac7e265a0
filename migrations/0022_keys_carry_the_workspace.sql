-- Every table that grows with tenants carries workspace_id, and every primary key, unique key and
-- foreign key between such tables includes it, so each can be distributed by workspace_id and
-- colocated under Citus (docs/decisions/0040, docs/scaling.md). The list of tables that are not
-- distributed, with the reason for each, is packages/db/src/distribution.ts.
-- workspace_id is appended to the existing keys: the indexes keep serving today's lookups, and a
-- key that already held a workspace's id (canvas_id, erasure_id, a random uuid) stays as strict.

-- The tables that lacked the column take it from their parent row.
ALTER TABLE canvas_versions ADD COLUMN workspace_id uuid;
UPDATE canvas_versions v SET workspace_id = c.workspace_id FROM canvases c WHERE c.id = v.canvas_id;
ALTER TABLE canvas_versions ALTER COLUMN workspace_id SET NOT NULL;

ALTER TABLE canvas_entry_counts ADD COLUMN workspace_id uuid;
UPDATE canvas_entry_counts n SET workspace_id = c.workspace_id FROM canvases c WHERE c.id = n.canvas_id;
ALTER TABLE canvas_entry_counts ALTER COLUMN workspace_id SET NOT NULL;

ALTER TABLE step_counters ADD COLUMN workspace_id uuid;
UPDATE step_counters s SET workspace_id = c.workspace_id FROM canvases c WHERE c.id = s.canvas_id;
-- counters of a canvas that no longer exists cannot be placed on any shard
DELETE FROM step_counters WHERE workspace_id IS NULL;
ALTER TABLE step_counters ALTER COLUMN workspace_id SET NOT NULL;

ALTER TABLE segment_runs ADD COLUMN workspace_id uuid;
UPDATE segment_runs r SET workspace_id = c.workspace_id FROM canvases c WHERE c.id = r.canvas_id;
ALTER TABLE segment_runs ALTER COLUMN workspace_id SET NOT NULL;

ALTER TABLE erasure_removals ADD COLUMN workspace_id uuid;
UPDATE erasure_removals r SET workspace_id = e.workspace_id FROM erasures e WHERE e.id = r.erasure_id;
ALTER TABLE erasure_removals ALTER COLUMN workspace_id SET NOT NULL;

-- Foreign keys go first: they depend on the keys being replaced.
ALTER TABLE canvas_versions DROP CONSTRAINT canvas_versions_canvas_id_fkey;
ALTER TABLE canvas_entry_counts DROP CONSTRAINT canvas_entry_counts_canvas_id_fkey;
ALTER TABLE segment_runs DROP CONSTRAINT segment_runs_canvas_id_fkey;
ALTER TABLE segment_run_candidates DROP CONSTRAINT segment_run_candidates_canvas_id_scheduled_at_fkey;
ALTER TABLE redrives DROP CONSTRAINT redrives_canvas_id_fkey;
ALTER TABLE dry_runs DROP CONSTRAINT dry_runs_canvas_id_fkey;
ALTER TABLE erasure_removals DROP CONSTRAINT erasure_removals_erasure_id_fkey;

-- Primary keys.
ALTER TABLE canvases DROP CONSTRAINT canvases_pkey, ADD PRIMARY KEY (id, workspace_id);
ALTER TABLE canvas_versions DROP CONSTRAINT canvas_versions_pkey, ADD PRIMARY KEY (canvas_id, version, workspace_id);
ALTER TABLE canvas_entry_counts DROP CONSTRAINT canvas_entry_counts_pkey, ADD PRIMARY KEY (canvas_id, workspace_id);
ALTER TABLE step_counters DROP CONSTRAINT step_counters_pkey,
  ADD PRIMARY KEY (canvas_id, version, step_id, metric, bucket, shard, workspace_id);
ALTER TABLE ad_accounts DROP CONSTRAINT ad_accounts_pkey, ADD PRIMARY KEY (id, workspace_id);
ALTER TABLE segments DROP CONSTRAINT segments_pkey, ADD PRIMARY KEY (id, workspace_id);
ALTER TABLE segment_runs DROP CONSTRAINT segment_runs_pkey, ADD PRIMARY KEY (canvas_id, scheduled_at, workspace_id);
ALTER TABLE segment_run_candidates DROP CONSTRAINT segment_run_candidates_pkey,
  ADD PRIMARY KEY (canvas_id, scheduled_at, user_id, workspace_id);
ALTER TABLE segment_audience_members DROP CONSTRAINT segment_audience_members_pkey,
  ADD PRIMARY KEY (canvas_id, step_id, user_id, workspace_id);
ALTER TABLE erasures DROP CONSTRAINT erasures_pkey, ADD PRIMARY KEY (id, workspace_id);
ALTER TABLE erasure_removals DROP CONSTRAINT erasure_removals_pkey,
  ADD PRIMARY KEY (erasure_id, meta_account_id, audience_id, workspace_id);
ALTER TABLE audience_entries DROP CONSTRAINT audience_entries_pkey, ADD PRIMARY KEY (id, workspace_id);
ALTER TABLE audience_resyncs DROP CONSTRAINT audience_resyncs_pkey, ADD PRIMARY KEY (meta_account_id, id, workspace_id);
ALTER TABLE audience_resync_members DROP CONSTRAINT audience_resync_members_pkey,
  ADD PRIMARY KEY (meta_account_id, resync_id, user_id, workspace_id);
ALTER TABLE lookalike_audiences DROP CONSTRAINT lookalike_audiences_pkey,
  ADD PRIMARY KEY (meta_account_id, source_audience_id, countries, ratio_percent, workspace_id);
ALTER TABLE redrives DROP CONSTRAINT redrives_pkey, ADD PRIMARY KEY (id, workspace_id);
ALTER TABLE step_drift DROP CONSTRAINT step_drift_pkey, ADD PRIMARY KEY (canvas_id, step_id, kind, workspace_id);
ALTER TABLE dry_runs DROP CONSTRAINT dry_runs_pkey, ADD PRIMARY KEY (id, workspace_id);

-- Unique keys.
ALTER TABLE audience_entries DROP CONSTRAINT audience_entries_handoff_once,
  ADD CONSTRAINT audience_entries_handoff_once
  UNIQUE NULLS NOT DISTINCT (meta_account_id, canvas_id, step_id, user_id, entry_seq, action, workspace_id);
DROP INDEX audience_entries_account_id;
CREATE UNIQUE INDEX audience_entries_account_id ON audience_entries (meta_account_id, id, workspace_id);
ALTER TABLE audience_resyncs DROP CONSTRAINT audience_resyncs_meta_account_id_session_id_key,
  ADD CONSTRAINT audience_resyncs_session UNIQUE (meta_account_id, session_id, workspace_id);

-- Foreign keys between distributed tables name the workspace on both sides.
ALTER TABLE canvas_versions ADD CONSTRAINT canvas_versions_canvas
  FOREIGN KEY (canvas_id, workspace_id) REFERENCES canvases (id, workspace_id);
ALTER TABLE canvas_entry_counts ADD CONSTRAINT canvas_entry_counts_canvas
  FOREIGN KEY (canvas_id, workspace_id) REFERENCES canvases (id, workspace_id);
ALTER TABLE segment_runs ADD CONSTRAINT segment_runs_canvas
  FOREIGN KEY (canvas_id, workspace_id) REFERENCES canvases (id, workspace_id);
ALTER TABLE segment_run_candidates ADD CONSTRAINT segment_run_candidates_run
  FOREIGN KEY (canvas_id, scheduled_at, workspace_id) REFERENCES segment_runs (canvas_id, scheduled_at, workspace_id)
  ON DELETE CASCADE;
ALTER TABLE redrives ADD CONSTRAINT redrives_canvas
  FOREIGN KEY (canvas_id, workspace_id) REFERENCES canvases (id, workspace_id);
ALTER TABLE dry_runs ADD CONSTRAINT dry_runs_canvas
  FOREIGN KEY (canvas_id, workspace_id) REFERENCES canvases (id, workspace_id);
ALTER TABLE erasure_removals ADD CONSTRAINT erasure_removals_erasure
  FOREIGN KEY (erasure_id, workspace_id) REFERENCES erasures (id, workspace_id) ON DELETE CASCADE;
