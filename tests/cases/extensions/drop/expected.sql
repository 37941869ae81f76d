-- hazard: deletes_data, untracked_dependency
DROP EXTENSION pg_trgm;
