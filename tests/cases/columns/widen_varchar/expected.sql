-- hazard: access_exclusive_lock
ALTER TABLE app.items ALTER COLUMN name TYPE character varying(200) USING name::character varying(200);
