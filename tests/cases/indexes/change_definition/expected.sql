-- hazard: access_exclusive_lock
DROP INDEX app.people_email_idx;
-- hazard: builds_index
CREATE INDEX people_email_idx ON app.people (email, name) WHERE active;
