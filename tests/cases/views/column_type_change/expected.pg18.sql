DROP VIEW app.eu_sales;
DROP VIEW app.region_totals;
-- hazard: rewrites_table, access_exclusive_lock
ALTER TABLE app.sales ALTER COLUMN amount TYPE bigint USING amount::bigint;
CREATE VIEW app.eu_sales AS
SELECT id,
    amount
   FROM sales
  WHERE region::text = 'eu'::text;
CREATE VIEW app.region_totals AS
SELECT region,
    sum(amount) AS total
   FROM sales
  GROUP BY region;
