CREATE TABLE app.notes (
    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    owner text DEFAULT CURRENT_USER NOT NULL,
    body text,
    CONSTRAINT notes_pkey PRIMARY KEY (id)
);
-- hazard: changes_authorization
ALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;
-- hazard: changes_authorization
CREATE POLICY notes_own ON app.notes FOR ALL TO zs_case_with_table_a USING ((owner = CURRENT_USER));
