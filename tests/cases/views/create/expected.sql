CREATE VIEW app.region_totals AS
SELECT sales.region,
    sum(sales.amount) AS total
   FROM sales
  GROUP BY sales.region;
