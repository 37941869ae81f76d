-- hazard: rewrites_table, access_exclusive_lock
ALTER TABLE app.items ALTER COLUMN id TYPE bigint USING id::bigint;
