ALTER TABLE app.items ADD COLUMN sku text;
COMMENT ON COLUMN app.items.sku IS 'Stock keeping unit';
