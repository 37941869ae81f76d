DROP VIEW app.region_totals;
