-- hazard: access_exclusive_lock
DROP INDEX app.people_name_idx;
-- hazard: deletes_data
ALTER TABLE app.people DROP COLUMN name;
