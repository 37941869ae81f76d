DROP VIEW app.region_totals;
CREATE VIEW app.region_totals AS
SELECT sales.region,
    sum(sales.amount) AS total,
    count(*) AS n
   FROM sales
  GROUP BY sales.region;
