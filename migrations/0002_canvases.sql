-- Canvases and their immutable launched versions.

CREATE TABLE canvases (
  id              uuid PRIMARY KEY,
  workspace_id    uuid NOT NULL REFERENCES workspaces (id),
  name            text NOT NULL,
  status          text NOT NULL CHECK (status IN ('draft', 'running', 'paused', 'archived')),
  live_version    integer,                      -- the version new entrants get; null before the first launch
  latest_version  integer NOT NULL,             -- newest version, a draft when greater than live_version
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX canvases_workspace ON canvases (workspace_id, status, created_at DESC);

CREATE TABLE canvas_versions (
  canvas_id    uuid NOT NULL REFERENCES canvases (id),
  version      integer NOT NULL,
  definition   jsonb NOT NULL,
  resolved     jsonb NOT NULL DEFAULT '{}',     -- per Facebook step: the ad account and Meta audience chosen at launch
  state        text NOT NULL CHECK (state IN ('draft', 'live', 'superseded')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  launched_at  timestamptz,
  PRIMARY KEY (canvas_id, version)
);

-- Entrants per canvas, for an exact target cap across runner replicas.
CREATE TABLE canvas_entry_counts (
  canvas_id  uuid PRIMARY KEY REFERENCES canvases (id),
  entrants   bigint NOT NULL DEFAULT 0
);

-- Runners listen here to refresh their canvas index when a canvas changes.
CREATE FUNCTION notify_canvas_change() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('canvas_changed', NEW.id::text);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER canvases_notify AFTER INSERT OR UPDATE ON canvases
  FOR EACH ROW EXECUTE FUNCTION notify_canvas_change();
