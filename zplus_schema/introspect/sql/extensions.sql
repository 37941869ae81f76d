-- Extensions installed into one of the requested schemas.
SELECT n.nspname::text AS schema_name,
       e.extname::text AS name,
       e.extversion AS version
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE n.nspname = ANY(%(schemas)s::name[])
ORDER BY 1, 2
