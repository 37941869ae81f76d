ALTER TABLE app.orders DROP CONSTRAINT orders_customer_id_fkey;
CREATE TABLE app.items (
    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    name text NOT NULL,
    CONSTRAINT items_pkey PRIMARY KEY (id)
);
-- hazard: deletes_data
DROP TABLE app.customers;
-- hazard: deletes_data
DROP TABLE app.orders;
