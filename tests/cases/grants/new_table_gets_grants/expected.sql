CREATE TABLE app.tags (
    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
    label text NOT NULL,
    CONSTRAINT tags_pkey PRIMARY KEY (id)
);
-- hazard: changes_authorization
GRANT INSERT, SELECT ON TABLE app.tags TO zs_case_nt_app;
