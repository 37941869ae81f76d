ALTER TABLE app.children DROP CONSTRAINT children_parent_id_fkey;
-- hazard: rewrites_table, access_exclusive_lock
ALTER TABLE app.children ALTER COLUMN parent_id TYPE integer USING parent_id::integer;
-- hazard: rewrites_table, access_exclusive_lock
ALTER TABLE app.parents ALTER COLUMN id TYPE integer USING id::integer;
ALTER TABLE app.children ADD CONSTRAINT children_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES app.parents (id) NOT VALID;
ALTER TABLE app.children VALIDATE CONSTRAINT children_parent_id_fkey;
