-- Table privileges, one row per grantee and privilege; a NULL ACL means the owner's default.
SELECT n.nspname::text AS schema_name,
       c.relname::text AS name,
       NULL::text AS column_name,
       CASE WHEN a.grantee = 0 THEN 'PUBLIC'
            ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END AS grantee,
       a.privilege_type::text AS privilege,
       a.is_grantable AS grantable
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL pg_catalog.aclexplode(
    COALESCE(c.relacl, pg_catalog.acldefault('r', c.relowner))) a
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND (n.nspname = %(system)s OR pg_catalog.starts_with(n.nspname, %(prefix)s))
UNION ALL
-- Column privileges: only columns with an ACL of their own.
SELECT n.nspname::text, c.relname::text, t.attname::text,
       CASE WHEN a.grantee = 0 THEN 'PUBLIC'
            ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END,
       a.privilege_type::text,
       a.is_grantable
FROM pg_catalog.pg_attribute t
JOIN pg_catalog.pg_class c ON c.oid = t.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL pg_catalog.aclexplode(t.attacl) a
WHERE t.attacl IS NOT NULL AND t.attnum > 0 AND NOT t.attisdropped
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND (n.nspname = %(system)s OR pg_catalog.starts_with(n.nspname, %(prefix)s))
ORDER BY 1, 2, 3 NULLS FIRST, 4, 5
