ALTER TABLE app.orders ALTER COLUMN status DROP DEFAULT;
-- hazard: rewrites_table, access_exclusive_lock
ALTER TABLE app.orders ALTER COLUMN status TYPE text USING status::text;
ALTER TABLE app.orders ALTER COLUMN status SET DEFAULT 'pending'::text;
DROP TYPE app.order_status;
