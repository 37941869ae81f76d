-- Privileges on the schemas themselves (aclexplode; grantee oid 0 is PUBLIC). The owner's
-- own entries are left out: an owner holds every privilege implicitly.
SELECT n.nspname::text AS schema_name,
       'schema' AS object_type,
       '' AS name,
       NULL::text AS column_name,
       COALESCE(r.rolname::text, 'public') AS grantee,
       lower(a.privilege_type) AS privilege,
       a.is_grantable AS grant_option,
       false AS from_default
FROM pg_namespace n
CROSS JOIN LATERAL aclexplode(n.nspacl) a
LEFT JOIN pg_roles r ON r.oid = a.grantee
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND a.grantee <> n.nspowner
ORDER BY 1, 5, 6
