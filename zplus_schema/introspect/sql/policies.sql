-- Row-level security policies; role oid 0 is PUBLIC.
SELECT n.nspname::text AS schema_name,
       c.relname::text AS table_name,
       p.polname::text AS name,
       p.polcmd::text AS command,
       p.polpermissive AS permissive,
       ARRAY(
           SELECT COALESCE(r.rolname::text, 'public')
           FROM unnest(p.polroles) AS u(role_oid)
           LEFT JOIN pg_roles r ON r.oid = u.role_oid) AS roles,
       pg_get_expr(p.polqual, p.polrelid) AS using_expr,
       pg_get_expr(p.polwithcheck, p.polrelid) AS with_check,
       obj_description(p.oid, 'pg_policy') AS comment
FROM pg_policy p
JOIN pg_class c ON c.oid = p.polrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY(%(schemas)s::name[])
ORDER BY 1, 2, 3
