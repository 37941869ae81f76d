ALTER TABLE app.orders DROP CONSTRAINT orders_customer_id_fkey;
