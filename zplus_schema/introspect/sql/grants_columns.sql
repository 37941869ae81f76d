-- Column privileges (pg_attribute.attacl), on columns of relations in the schemas.
SELECT n.nspname::text AS schema_name,
       'column' AS object_type,
       c.relname::text AS name,
       att.attname::text AS column_name,
       COALESCE(r.rolname::text, 'public') AS grantee,
       lower(a.privilege_type) AS privilege,
       a.is_grantable AS grant_option,
       false AS from_default
FROM pg_attribute att
JOIN pg_class c ON c.oid = att.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL aclexplode(att.attacl) a
LEFT JOIN pg_roles r ON r.oid = a.grantee
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND att.attnum > 0 AND NOT att.attisdropped AND att.attacl IS NOT NULL
  AND a.grantee <> c.relowner
ORDER BY 1, 3, 4, 5, 6
