-- Which of the given schema names exist (the parameter is an array of names).
SELECT nspname::text FROM pg_catalog.pg_namespace WHERE nspname = ANY(%s)
