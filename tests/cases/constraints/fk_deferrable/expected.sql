ALTER TABLE app.orders DROP CONSTRAINT orders_customer_id_fkey;
ALTER TABLE app.orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES app.customers (id) DEFERRABLE INITIALLY DEFERRED NOT VALID;
ALTER TABLE app.orders VALIDATE CONSTRAINT orders_customer_id_fkey;
