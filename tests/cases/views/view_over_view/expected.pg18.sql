DROP VIEW app.top_regions;
DROP VIEW app.region_totals;
CREATE VIEW app.region_totals AS
SELECT region,
    sum(amount) AS total,
    max(amount) AS biggest
   FROM sales
  GROUP BY region;
CREATE VIEW app.top_regions AS
SELECT region
   FROM region_totals
  WHERE total > 10;
