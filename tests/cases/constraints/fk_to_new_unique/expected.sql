-- hazard: builds_index, access_exclusive_lock
ALTER TABLE app.customers ADD CONSTRAINT customers_email_key UNIQUE (email);
ALTER TABLE app.orders ADD CONSTRAINT orders_customer_email_fkey FOREIGN KEY (customer_email) REFERENCES app.customers (email) NOT VALID;
ALTER TABLE app.orders VALIDATE CONSTRAINT orders_customer_email_fkey;
