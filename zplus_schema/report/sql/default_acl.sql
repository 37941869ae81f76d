-- Default privileges (ALTER DEFAULT PRIVILEGES): for every schema ('' = all schemas) or a
-- reported one. Object types: r tables, S sequences, f functions, T types, n schemas.
SELECT pg_catalog.pg_get_userbyid(d.defaclrole)::text AS owner,
       COALESCE(n.nspname::text, '') AS schema_name,
       d.defaclobjtype::text AS object_type,
       CASE WHEN a.grantee = 0 THEN 'PUBLIC'
            ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END AS grantee,
       a.privilege_type::text AS privilege,
       a.is_grantable AS grantable
FROM pg_catalog.pg_default_acl d
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
CROSS JOIN LATERAL pg_catalog.aclexplode(d.defaclacl) a
WHERE d.defaclnamespace = 0 OR n.nspname = %(system)s
   OR pg_catalog.starts_with(n.nspname, %(prefix)s)
ORDER BY 1, 2, 3, 4, 5
