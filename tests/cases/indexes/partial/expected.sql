-- hazard: builds_index
CREATE INDEX people_active_idx ON app.people (created_at) WHERE active;
