-- hazard: changes_authorization
ALTER POLICY notes_own ON app.notes TO zs_case_alter_using_a, zs_case_alter_using_b USING (((owner = CURRENT_USER) OR (body = 'public'::text)));
