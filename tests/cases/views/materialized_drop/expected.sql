DROP MATERIALIZED VIEW app.region_totals_mv;
