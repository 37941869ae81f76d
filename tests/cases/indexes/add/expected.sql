-- hazard: builds_index
CREATE INDEX people_email_idx ON app.people (email);
