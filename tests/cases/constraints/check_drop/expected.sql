ALTER TABLE app.orders DROP CONSTRAINT orders_amount_positive;
