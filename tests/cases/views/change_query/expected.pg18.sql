DROP VIEW app.region_totals;
CREATE VIEW app.region_totals AS
SELECT region,
    sum(amount) AS total,
    count(*) AS n
   FROM sales
  GROUP BY region;
