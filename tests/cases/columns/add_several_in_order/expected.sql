ALTER TABLE app.items ADD COLUMN zeta text;
ALTER TABLE app.items ADD COLUMN c9 integer;
ALTER TABLE app.items ADD COLUMN c10 integer;
ALTER TABLE app.items ADD COLUMN alpha boolean;
COMMENT ON COLUMN app.items.c10 IS 'Declared last';
