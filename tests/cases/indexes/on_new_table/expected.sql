CREATE TABLE app.visits (
    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    person_id bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    CONSTRAINT visits_pkey PRIMARY KEY (id)
);
ALTER TABLE app.visits ADD CONSTRAINT visits_person_id_fkey FOREIGN KEY (person_id) REFERENCES app.people (id);
CREATE INDEX visits_person_at_idx ON app.visits (person_id, at DESC);
