-- hazard: deletes_data
ALTER TABLE app.items DROP COLUMN total;
-- hazard: rewrites_table, access_exclusive_lock
ALTER TABLE app.items ADD COLUMN total numeric(12,2) GENERATED ALWAYS AS (((price * (qty)::numeric) * 1.2)) STORED;
