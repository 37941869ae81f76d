-- hazard: deletes_data
ALTER TABLE app.items DROP COLUMN legacy_code;
