ALTER TABLE app.items RENAME COLUMN title TO name;
ALTER TABLE app.items RENAME CONSTRAINT items_title_check TO items_name_check;
ALTER TABLE app.items RENAME CONSTRAINT items_title_key TO items_name_key;
