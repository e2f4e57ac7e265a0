-- An optional prefix for the names of audiences this product creates, so they are recognisable
-- in Ads Manager (a connector's setup page uses "CA_{name}").
ALTER TABLE workspaces ADD COLUMN audience_name_prefix text
  CHECK (audience_name_prefix IS NULL OR length(audience_name_prefix) BETWEEN 1 AND 40);
