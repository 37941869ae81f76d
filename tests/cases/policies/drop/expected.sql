-- hazard: changes_authorization
DROP POLICY notes_own ON app.notes;
