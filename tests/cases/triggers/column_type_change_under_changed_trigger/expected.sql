DROP TRIGGER on_qty ON app.items;
-- hazard: changes_authorization
DROP POLICY positive ON app.items;
-- hazard: rewrites_table, access_exclusive_lock
ALTER TABLE app.items ALTER COLUMN qty TYPE bigint USING qty::bigint;
CREATE TRIGGER on_qty AFTER UPDATE OF qty ON app.items FOR EACH ROW WHEN (new.qty > 1) EXECUTE FUNCTION app.touch();
-- hazard: changes_authorization
CREATE POLICY positive ON app.items FOR SELECT TO public USING ((qty > 0));
COMMENT ON TRIGGER on_qty ON app.items IS 'Quantity changes';
COMMENT ON POLICY positive ON app.items IS 'Positive stock only';
