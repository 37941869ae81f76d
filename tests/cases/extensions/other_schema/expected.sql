CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
-- hazard: builds_index
CREATE INDEX items_name_trgm ON app.items USING gin (name public.gin_trgm_ops);
