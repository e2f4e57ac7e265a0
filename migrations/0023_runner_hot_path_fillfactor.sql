-- The journey runner rewrites a user's profile in every batch the user appears in
-- (docs/decisions/0042): room left in each page keeps those updates heap-only, so the primary
-- key gets no new entry per update and the table and index bloat less between vacuums.
-- Applies to pages written from now on; existing pages fill up to it as they are rewritten.
ALTER TABLE user_profiles SET (fillfactor = 70);
