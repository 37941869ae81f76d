-- Default privileges the current role set IN SCHEMA for the schemas (pg_default_acl):
-- the objects it creates there later get them. Another role's defaults are not ours.
SELECT n.nspname::text AS schema_name,
       CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences'
                            WHEN 'f' THEN 'functions' ELSE 'other' END AS object_type,
       COALESCE(r.rolname::text, 'public') AS grantee,
       lower(a.privilege_type) AS privilege,
       a.is_grantable AS grant_option
FROM pg_default_acl d
JOIN pg_namespace n ON n.oid = d.defaclnamespace
CROSS JOIN LATERAL aclexplode(d.defaclacl) a
LEFT JOIN pg_roles r ON r.oid = a.grantee
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND d.defaclrole = (SELECT oid FROM pg_roles WHERE rolname = current_user)
ORDER BY 1, 2, 3, 4
