-- hazard: builds_index
CREATE INDEX people_profile_gin ON app.people USING gin (profile jsonb_path_ops);
