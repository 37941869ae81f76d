DROP VIEW app.eu_sales;
CREATE VIEW app.eu_sales AS
SELECT id
   FROM sales
  WHERE region::text = 'eu'::text;
-- hazard: deletes_data
ALTER TABLE app.sales DROP COLUMN note;
