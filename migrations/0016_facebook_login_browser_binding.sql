-- A Facebook Login is bound to the browser that started it: the hash of a secret set there as an
-- HttpOnly cookie, which the callback must present. Logins started before this have none and cannot finish.
ALTER TABLE facebook_logins ADD COLUMN binding_hash text;
-- the token purge looks for authorized logins past their expiry
CREATE INDEX facebook_logins_authorized_expiry ON facebook_logins (expires_at) WHERE status = 'authorized';
