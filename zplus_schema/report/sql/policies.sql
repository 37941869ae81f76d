-- Row-level security policies; role oid 0 is PUBLIC. Read with search_path = pg_catalog,
-- so names outside pg_catalog arrive qualified.
SELECT n.nspname::text AS schema_name,
       c.relname::text AS table_name,
       p.polname::text AS name,
       p.polcmd::text AS command,
       p.polpermissive AS permissive,
       ARRAY(SELECT CASE WHEN u.role_oid = 0 THEN 'PUBLIC'
                         ELSE pg_catalog.pg_get_userbyid(u.role_oid)::text END
               FROM unnest(p.polroles) AS u(role_oid) ORDER BY 1) AS roles,
       pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS using_expr,
       pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS with_check
FROM pg_catalog.pg_policy p
JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %(system)s OR pg_catalog.starts_with(n.nspname, %(prefix)s)
ORDER BY 1, 2, 3
