-- hazard: changes_authorization
DROP POLICY notes_own ON app.notes;
-- hazard: changes_authorization
CREATE POLICY notes_own ON app.notes AS RESTRICTIVE FOR ALL TO public USING ((owner = CURRENT_USER));
COMMENT ON POLICY notes_own ON app.notes IS 'Own rows only';
