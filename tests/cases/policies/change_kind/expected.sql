-- hazard: changes_authorization
DROP POLICY notes_own ON app.notes;
-- hazard: changes_authorization
CREATE POLICY notes_own ON app.notes AS RESTRICTIVE FOR ALL TO zs_case_change_kind_a USING ((owner = CURRENT_USER));
