-- hazard: deletes_data
DROP TABLE app.order_log;
CREATE TABLE app.receipts (
    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    CONSTRAINT receipts_pkey PRIMARY KEY (id)
);
ALTER TABLE app.receipts ADD CONSTRAINT order_log_pkey UNIQUE (id);
CREATE VIEW app.order_log AS
SELECT orders.id,
    orders.amount
   FROM orders;
