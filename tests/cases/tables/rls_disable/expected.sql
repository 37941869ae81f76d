-- hazard: changes_authorization
ALTER TABLE app.items DISABLE ROW LEVEL SECURITY;
-- hazard: changes_authorization
ALTER TABLE app.items NO FORCE ROW LEVEL SECURITY;
