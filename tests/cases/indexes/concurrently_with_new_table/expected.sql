CREATE TABLE app.visits (
    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    person_id bigint NOT NULL,
    CONSTRAINT visits_pkey PRIMARY KEY (id)
);
-- runs outside the transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS people_email_idx ON app.people (email);
CREATE INDEX visits_person_idx ON app.visits (person_id);
