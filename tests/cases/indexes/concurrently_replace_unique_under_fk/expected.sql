ALTER TABLE app.visits DROP CONSTRAINT visits_person_email_fkey;
-- runs outside the transaction
DROP INDEX CONCURRENTLY IF EXISTS app.people_email_key;
-- hazard: builds_index
CREATE UNIQUE INDEX people_email_uq ON app.people (email) INCLUDE (id);
ALTER TABLE app.visits ADD CONSTRAINT visits_person_email_fkey FOREIGN KEY (person_email) REFERENCES app.people (email) NOT VALID;
ALTER TABLE app.visits VALIDATE CONSTRAINT visits_person_email_fkey;
