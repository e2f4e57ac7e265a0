-- Dry runs of canvas versions over the stored behaviour history, the quota planner's view of
-- each Meta ad account, and the workspace setting that lets a quota risk block a launch
-- (docs/decisions/0038).

-- One row per dry run: the only thing a dry run writes. Any API replica claims a queued run
-- (or a running one whose worker stopped beating) with FOR UPDATE SKIP LOCKED, under a fresh
-- lease; progress and the result are written only under that lease, so a run taken over or
-- cancelled stops at its next page.
CREATE TABLE dry_runs (
  id             uuid PRIMARY KEY,
  workspace_id   uuid NOT NULL REFERENCES workspaces (id),
  canvas_id      uuid NOT NULL REFERENCES canvases (id),
  version        integer NOT NULL,
  window_from    timestamptz NOT NULL,
  window_to      timestamptz NOT NULL,
  status         text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'cancelled', 'failed')),
  -- users looked at and in the workspace, passes done and needed (a binding target cap takes two)
  users_done     bigint NOT NULL DEFAULT 0,
  users_total    bigint NOT NULL DEFAULT 0,
  pass           smallint NOT NULL DEFAULT 0,
  passes         smallint NOT NULL DEFAULT 1,
  -- the cost the per-workspace budget counts: history events read
  cost_events    bigint NOT NULL DEFAULT 0,
  result         jsonb,
  failure        text,
  requested_by   text NOT NULL,
  lease          uuid,
  attempts       integer NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  started_at     timestamptz,
  heartbeat_at   timestamptz,
  finished_at    timestamptz,
  CHECK (window_from < window_to)
);
CREATE INDEX dry_runs_canvas ON dry_runs (canvas_id, created_at DESC);
CREATE INDEX dry_runs_workspace ON dry_runs (workspace_id, created_at DESC);
CREATE INDEX dry_runs_open ON dry_runs (created_at) WHERE status IN ('queued', 'running');

-- How the sync works each Meta ad account, written by its owner when it takes the account and when
-- Meta's usage headers change its pace: the quota planner forecasts with what the sync really uses.
CREATE TABLE meta_account_capacity (
  meta_account_id    text PRIMARY KEY,
  quota_per_window   integer NOT NULL,
  window_ms          bigint NOT NULL,
  safety             real NOT NULL,
  users_per_request  integer NOT NULL,
  batch_window_ms    integer NOT NULL,
  pace_factor        real NOT NULL DEFAULT 1,
  recorded_at        timestamptz NOT NULL
);

ALTER TABLE workspaces ADD COLUMN block_launch_on_quota_risk boolean NOT NULL DEFAULT false;

-- The planner reads an account's hand-offs of the last hours. Entries are appended in time order,
-- so a BRIN index finds them for almost nothing on the hand-off path (a btree would be written by
-- every hand-off).
CREATE INDEX audience_entries_entered ON audience_entries USING brin (entered_at);
