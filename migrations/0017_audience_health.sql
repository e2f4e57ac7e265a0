-- What Meta last said about an audience's health (flagged, not eligible for special-ad-category
-- campaigns), recorded by the sync from its answers so canvases show it without calling Meta.
CREATE TABLE audience_health (
  audience_id     text NOT NULL,
  problem         text NOT NULL CHECK (problem IN ('flagged', 'not_sac_eligible')),
  meta_account_id text NOT NULL,
  message         text NOT NULL,
  detected_at     timestamptz NOT NULL,
  PRIMARY KEY (audience_id, problem)
);
