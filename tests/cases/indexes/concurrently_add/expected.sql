-- runs outside the transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS people_email_idx ON app.people (email);
-- runs outside the transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS people_name_idx ON app.people (name) WHERE (name IS NOT NULL);
