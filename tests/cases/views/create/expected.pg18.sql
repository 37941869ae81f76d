CREATE VIEW app.region_totals AS
SELECT region,
    sum(amount) AS total
   FROM sales
  GROUP BY region;
