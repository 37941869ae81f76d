DROP MATERIALIZED VIEW app.region_totals_mv;
CREATE MATERIALIZED VIEW app.region_totals_mv AS
SELECT sales.region,
    sum(sales.amount) AS total,
    count(*) AS n
   FROM sales
  GROUP BY sales.region
WITH DATA;
COMMENT ON MATERIALIZED VIEW app.region_totals_mv IS 'Refreshed nightly';
