-- hazard: builds_index
CREATE INDEX people_recent_idx ON app.people (created_at DESC, name NULLS FIRST);
