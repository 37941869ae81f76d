CREATE TYPE app.item_status AS ENUM ('new', 'active', 'retired');
ALTER TABLE app.items ALTER COLUMN status DROP DEFAULT;
-- hazard: rewrites_table, access_exclusive_lock
ALTER TABLE app.items ALTER COLUMN status TYPE app.item_status USING status::app.item_status;
ALTER TABLE app.items ALTER COLUMN status SET DEFAULT 'new'::item_status;
