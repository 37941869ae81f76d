ALTER TABLE app.orders DROP CONSTRAINT orders_customer_id_fkey;
-- hazard: deletes_data
DROP TABLE app.customers;
