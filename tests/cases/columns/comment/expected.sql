COMMENT ON COLUMN app.items.name IS 'Display name';
