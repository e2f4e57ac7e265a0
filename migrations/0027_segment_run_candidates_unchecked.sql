-- A run's candidates are written by one INSERT in the transaction that marks the run running, and
-- deleted by the slice that finishes it: the foreign key to segment_runs checked each of a million
-- rows one by one (9 of a run's 14 s to collect them), and guarded nothing those two do not.
ALTER TABLE segment_run_candidates DROP CONSTRAINT segment_run_candidates_run;
