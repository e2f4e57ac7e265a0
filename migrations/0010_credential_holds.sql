-- A connection the sync cannot use (disconnected, terms not accepted) holds its users pending.
-- held_since is when that began: the retry window does not run while held, and the hold limit
-- counts from it.
ALTER TABLE ad_accounts ADD COLUMN held_since timestamptz;
UPDATE ad_accounts SET held_since = updated_at WHERE status <> 'connected';
ALTER TABLE ad_accounts ADD CONSTRAINT ad_accounts_held_when_unusable
  CHECK ((status = 'connected') = (held_since IS NULL));
