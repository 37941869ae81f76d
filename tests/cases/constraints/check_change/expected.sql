ALTER TABLE app.orders DROP CONSTRAINT orders_amount_positive;
ALTER TABLE app.orders ADD CONSTRAINT orders_amount_positive CHECK (((amount > (0)::numeric) AND (amount < (10000)::numeric))) NOT VALID;
ALTER TABLE app.orders VALIDATE CONSTRAINT orders_amount_positive;
