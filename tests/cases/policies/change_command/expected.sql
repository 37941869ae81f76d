-- hazard: changes_authorization
DROP POLICY notes_own ON app.notes;
-- hazard: changes_authorization
CREATE POLICY notes_own ON app.notes FOR UPDATE TO zs_case_change_command_a USING ((owner = CURRENT_USER));
