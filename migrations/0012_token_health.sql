-- What Meta's debug_token last said of each connection's token: when it expires (null: never or
-- not reported) and when it was last checked, so the sync checks each token once per interval.
ALTER TABLE ad_accounts ADD COLUMN token_expires_at timestamptz;
ALTER TABLE ad_accounts ADD COLUMN token_checked_at timestamptz;
