CREATE TYPE app.color AS ENUM ('red', 'green', 'blue');
ALTER TABLE app.items ADD COLUMN color app.color DEFAULT 'red'::color NOT NULL;
