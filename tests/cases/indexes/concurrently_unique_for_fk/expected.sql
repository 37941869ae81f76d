-- hazard: builds_index
CREATE UNIQUE INDEX people_email_key ON app.people (email);
ALTER TABLE app.visits ADD CONSTRAINT visits_person_email_fkey FOREIGN KEY (person_email) REFERENCES app.people (email) NOT VALID;
ALTER TABLE app.visits VALIDATE CONSTRAINT visits_person_email_fkey;
