-- A segment run whose behaviour conditions the daily rollup can count (no property filters)
-- counts them for every candidate in its first transaction, in one hashed pass over the rollup;
-- its slices then read the counts beside the candidate instead of the history (docs/decisions/0043).
-- `counted` names what was counted (events and windows), so a slice whose segment changed since
-- reads the history as before.
ALTER TABLE segment_runs ADD COLUMN counted text;
ALTER TABLE segment_run_candidates ADD COLUMN counts integer[];
