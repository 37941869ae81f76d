DROP VIEW app.big_sales;
-- hazard: rewrites_table, access_exclusive_lock
ALTER TABLE app.sales ALTER COLUMN amount TYPE bigint USING amount::bigint;
CREATE VIEW app.big_sales AS
SELECT id,
    amount
   FROM sales
  WHERE amount > 100;
COMMENT ON VIEW app.big_sales IS 'Orders over 100';
