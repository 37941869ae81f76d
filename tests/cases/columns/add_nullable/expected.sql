ALTER TABLE app.items ADD COLUMN note text;
