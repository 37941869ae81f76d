ALTER TABLE app.items ADD CONSTRAINT items_name_not_null CHECK (name IS NOT NULL) NOT VALID;
ALTER TABLE app.items VALIDATE CONSTRAINT items_name_not_null;
ALTER TABLE app.items ALTER COLUMN name SET NOT NULL;
ALTER TABLE app.items DROP CONSTRAINT items_name_not_null;
