-- hazard: builds_index
CREATE UNIQUE INDEX people_email_lower_key ON app.people ((lower(email)));
