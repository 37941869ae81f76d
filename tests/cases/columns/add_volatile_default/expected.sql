-- hazard: rewrites_table, access_exclusive_lock
ALTER TABLE app.items ADD COLUMN token uuid DEFAULT gen_random_uuid() NOT NULL;
