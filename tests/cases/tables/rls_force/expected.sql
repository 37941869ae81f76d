-- hazard: changes_authorization
ALTER TABLE app.items FORCE ROW LEVEL SECURITY;
