-- hazard: builds_index
CREATE INDEX people_tags_gin ON app.people USING gin (tags);
