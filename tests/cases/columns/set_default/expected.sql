ALTER TABLE app.items ALTER COLUMN name SET DEFAULT 'unnamed'::text;
