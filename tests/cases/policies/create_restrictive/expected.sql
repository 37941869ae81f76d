-- hazard: changes_authorization
CREATE POLICY notes_not_empty ON app.notes AS RESTRICTIVE FOR SELECT TO zs_case_create_restrictive_a, zs_case_create_restrictive_b USING ((body IS NOT NULL));
COMMENT ON POLICY notes_not_empty ON app.notes IS 'Hide empty notes';
