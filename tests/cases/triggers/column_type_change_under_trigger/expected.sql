DROP TRIGGER on_qty ON app.items;
-- hazard: changes_authorization
DROP POLICY positive ON app.items;
-- hazard: rewrites_table, access_exclusive_lock
ALTER TABLE app.items ALTER COLUMN qty TYPE bigint USING qty::bigint;
CREATE TRIGGER on_qty BEFORE UPDATE OF qty ON app.items FOR EACH ROW WHEN (new.qty > 0) EXECUTE FUNCTION app.touch();
-- hazard: changes_authorization
CREATE POLICY positive ON app.items FOR SELECT TO public USING ((qty >= 0));
