-- hazard: changes_authorization
ALTER TABLE app.items ENABLE ROW LEVEL SECURITY;
