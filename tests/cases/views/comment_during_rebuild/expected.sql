DROP VIEW app.big_sales;
-- hazard: rewrites_table, access_exclusive_lock
ALTER TABLE app.sales ALTER COLUMN amount TYPE bigint USING amount::bigint;
CREATE VIEW app.big_sales AS
SELECT sales.id,
    sales.amount
   FROM sales
  WHERE sales.amount > 100;
COMMENT ON VIEW app.big_sales IS 'Orders over 100';
