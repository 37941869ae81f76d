ALTER TABLE app.items ALTER COLUMN qty DROP DEFAULT;
-- hazard: rewrites_table, access_exclusive_lock
ALTER TABLE app.items ALTER COLUMN qty TYPE bigint USING qty::bigint;
ALTER TABLE app.items ALTER COLUMN qty SET DEFAULT 0;
