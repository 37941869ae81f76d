CREATE TABLE app.items (
    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    name text NOT NULL,
    CONSTRAINT items_pkey PRIMARY KEY (id)
);
-- hazard: deletes_data
DROP TABLE app.orders;
DROP TYPE app.order_status;
