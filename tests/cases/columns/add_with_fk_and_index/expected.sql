ALTER TABLE app.orders ADD COLUMN referrer_id bigint;
ALTER TABLE app.orders ADD CONSTRAINT orders_referrer_id_fkey FOREIGN KEY (referrer_id) REFERENCES app.customers (id) ON DELETE SET NULL NOT VALID;
ALTER TABLE app.orders VALIDATE CONSTRAINT orders_referrer_id_fkey;
-- hazard: builds_index
CREATE INDEX orders_referrer_idx ON app.orders (referrer_id) WHERE (referrer_id IS NOT NULL);
