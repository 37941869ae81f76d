ALTER TABLE app.items ADD COLUMN email citext;
