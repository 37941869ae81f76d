-- hazard: builds_index
CREATE INDEX people_email_incl_idx ON app.people (email) INCLUDE (name, created_at);
