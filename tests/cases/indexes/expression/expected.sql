-- hazard: builds_index
CREATE INDEX people_name_lower_idx ON app.people ((lower(name)), id);
