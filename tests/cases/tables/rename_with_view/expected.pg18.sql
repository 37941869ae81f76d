DROP VIEW app.item_names;
ALTER TABLE app.item RENAME TO items;
ALTER TABLE app.items RENAME CONSTRAINT item_pkey TO items_pkey;
CREATE VIEW app.item_names AS
SELECT name
   FROM items;
