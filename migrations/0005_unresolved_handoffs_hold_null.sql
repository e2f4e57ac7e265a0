-- A hand-off whose step has no audience (a damaged canvas version) never reaches Meta. It used to
-- hold placeholder ids ('0', the all-zero UUID); it now holds NULL, and only as an Errored row.
ALTER TABLE audience_entries DROP CONSTRAINT audience_entries_pkey;
ALTER TABLE audience_entries DROP CONSTRAINT audience_entries_meta_account_id_canvas_id_step_id_user_id__key;
ALTER TABLE audience_entries
  ALTER COLUMN meta_account_id DROP NOT NULL,
  ALTER COLUMN ad_account_id DROP NOT NULL,
  ALTER COLUMN audience_id DROP NOT NULL;
UPDATE audience_entries SET meta_account_id = NULL, ad_account_id = NULL, audience_id = NULL
  WHERE meta_account_id = '0' AND audience_id = '0' AND ad_account_id = '00000000-0000-0000-0000-000000000000';
ALTER TABLE audience_entries ADD PRIMARY KEY (id);
-- the sync still finds an entry by (account, id), and a hand-off is still recorded once
CREATE UNIQUE INDEX audience_entries_account_id ON audience_entries (meta_account_id, id);
ALTER TABLE audience_entries ADD CONSTRAINT audience_entries_handoff_once
  UNIQUE NULLS NOT DISTINCT (meta_account_id, canvas_id, step_id, user_id, entry_seq);
ALTER TABLE audience_entries ADD CONSTRAINT audience_entries_target_or_errored CHECK (
  (meta_account_id IS NOT NULL AND ad_account_id IS NOT NULL AND audience_id IS NOT NULL)
  OR (meta_account_id IS NULL AND ad_account_id IS NULL AND audience_id IS NULL AND status = 'errored')
);
