DROP VIEW app.top_regions;
DROP VIEW app.region_totals;
CREATE VIEW app.region_totals AS
SELECT sales.region,
    sum(sales.amount) AS total,
    max(sales.amount) AS biggest
   FROM sales
  GROUP BY sales.region;
CREATE VIEW app.top_regions AS
SELECT region_totals.region
   FROM region_totals
  WHERE region_totals.total > 10;
