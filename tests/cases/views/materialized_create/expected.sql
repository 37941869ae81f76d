CREATE MATERIALIZED VIEW app.region_totals_mv AS
SELECT sales.region,
    sum(sales.amount) AS total
   FROM sales
  GROUP BY sales.region
WITH DATA;
