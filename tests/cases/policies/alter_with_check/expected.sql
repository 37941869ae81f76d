-- hazard: changes_authorization
ALTER POLICY notes_own ON app.notes TO zs_case_alter_with_check_a USING ((owner = CURRENT_USER)) WITH CHECK ((owner = CURRENT_USER));
