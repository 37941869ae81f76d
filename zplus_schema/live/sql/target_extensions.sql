-- The installed extensions, and whether each lives in the target schema: normalization
-- creates the declared ones that are missing, and reads objects of those in the target
-- relative to it.
SELECT e.extname::text, e.extversion::text, n.nspname = %(target)s
FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
ORDER BY 1
