-- Tables, views, materialized views and foreign tables of the reported schemas (not those
-- an extension owns), with their RLS state and whether they carry the tenant key column.
SELECT n.nspname::text AS schema_name,
       c.relname::text AS name,
       c.relkind::text AS kind,
       pg_catalog.pg_get_userbyid(c.relowner)::text AS owner,
       c.relrowsecurity AS rls_enabled,
       c.relforcerowsecurity AS rls_forced,
       EXISTS (SELECT 1 FROM pg_catalog.pg_attribute t
               WHERE t.attrelid = c.oid AND t.attname = %(tenant_key)s
                 AND t.attnum > 0 AND NOT t.attisdropped) AS has_tenant_key
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND (n.nspname = %(system)s OR pg_catalog.starts_with(n.nspname, %(prefix)s))
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                    AND d.deptype = 'e')
ORDER BY 1, 2
