ALTER TABLE app.item RENAME TO items;
ALTER INDEX app.item_lower_name_idx RENAME TO items_lower_name_idx;
ALTER TABLE app.items RENAME CONSTRAINT item_name_check TO items_name_check;
ALTER TABLE app.items RENAME CONSTRAINT item_name_key TO items_name_key;
ALTER TABLE app.items RENAME CONSTRAINT item_pkey TO items_pkey;
