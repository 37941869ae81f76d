ALTER TABLE app.orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES app.customers (id) NOT VALID;
ALTER TABLE app.orders VALIDATE CONSTRAINT orders_customer_id_fkey;
