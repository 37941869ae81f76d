-- runs outside the transaction
ALTER TYPE app.order_status ADD VALUE 'new' BEFORE 'pending';
ALTER TABLE app.orders ALTER COLUMN status SET DEFAULT 'new'::order_status;
