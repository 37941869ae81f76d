CREATE MATERIALIZED VIEW app.region_totals_mv AS
SELECT region,
    sum(amount) AS total
   FROM sales
  GROUP BY region
WITH DATA;
