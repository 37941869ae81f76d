-- hazard: changes_authorization
CREATE POLICY notes_own ON app.notes FOR ALL TO zs_case_create_permissive_a USING ((owner = CURRENT_USER));
