DROP MATERIALIZED VIEW app.region_totals_mv;
CREATE MATERIALIZED VIEW app.region_totals_mv AS
SELECT region,
    sum(amount) AS total,
    count(*) AS n
   FROM sales
  GROUP BY region
WITH DATA;
COMMENT ON MATERIALIZED VIEW app.region_totals_mv IS 'Refreshed nightly';
