ALTER TABLE app.children DROP CONSTRAINT children_parent_id_fkey;
ALTER TABLE app.parents DROP CONSTRAINT parents_pkey;
-- hazard: deletes_data
DROP TABLE app.children;
