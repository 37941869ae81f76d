-- The system schema and every tenant schema, with their privileges (NULL ACL: the default).
SELECT n.nspname::text AS schema_name,
       pg_catalog.pg_get_userbyid(n.nspowner)::text AS owner,
       CASE WHEN a.grantee = 0 THEN 'PUBLIC'
            ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END AS grantee,
       a.privilege_type::text AS privilege,
       a.is_grantable AS grantable
FROM pg_catalog.pg_namespace n
LEFT JOIN LATERAL pg_catalog.aclexplode(
    COALESCE(n.nspacl, pg_catalog.acldefault('n', n.nspowner))) a ON true
WHERE n.nspname = %(system)s OR pg_catalog.starts_with(n.nspname, %(prefix)s)
ORDER BY 1, 3, 4
