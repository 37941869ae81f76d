ALTER TABLE app.orders DROP CONSTRAINT orders_customer_uq;
-- hazard: builds_index, access_exclusive_lock
ALTER TABLE app.orders ADD CONSTRAINT orders_customer_uq UNIQUE NULLS NOT DISTINCT (customer_id, amount, id);
