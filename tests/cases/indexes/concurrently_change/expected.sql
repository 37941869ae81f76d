-- runs outside the transaction
DROP INDEX CONCURRENTLY IF EXISTS app.people_email_idx;
-- runs outside the transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS people_email_idx ON app.people ((lower(email)));
