-- hazard: builds_index
CREATE INDEX items_name_trgm ON app.items USING gin (name gin_trgm_ops);
