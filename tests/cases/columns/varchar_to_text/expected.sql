-- hazard: access_exclusive_lock
ALTER TABLE app.items ALTER COLUMN name TYPE text USING name::text;
