-- Privileges on tables, views, materialized views and sequences; not the owner's own.
SELECT n.nspname::text AS schema_name,
       CASE WHEN c.relkind = 'S' THEN 'sequence' ELSE 'table' END AS object_type,
       c.relname::text AS name,
       NULL::text AS column_name,
       COALESCE(r.rolname::text, 'public') AS grantee,
       lower(a.privilege_type) AS privilege,
       a.is_grantable AS grant_option,
       false AS from_default
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL aclexplode(c.relacl) a
LEFT JOIN pg_roles r ON r.oid = a.grantee
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
  AND a.grantee <> c.relowner
ORDER BY 1, 3, 5, 6
