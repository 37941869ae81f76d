-- hazard: access_exclusive_lock
ALTER TABLE app.items ALTER COLUMN code TYPE text COLLATE "C" USING code::text;
