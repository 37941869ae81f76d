-- Functions and procedures of the reported schemas (not those an extension owns): security
-- mode, the search_path fixed in proconfig, and EXECUTE privileges (NULL ACL: the default,
-- which grants EXECUTE to PUBLIC).
SELECT n.nspname::text AS schema_name,
       p.proname::text || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')'
           AS signature,
       pg_catalog.pg_get_userbyid(p.proowner)::text AS owner,
       p.prosecdef AS security_definer,
       (SELECT substr(cfg, length('search_path=') + 1)
          FROM unnest(p.proconfig) AS cfg
         WHERE cfg LIKE 'search\_path=%%') AS search_path,
       p.proacl IS NULL AS default_acl,
       CASE WHEN a.grantee = 0 THEN 'PUBLIC'
            ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END AS grantee,
       a.privilege_type::text AS privilege,
       a.is_grantable AS grantable
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
LEFT JOIN LATERAL pg_catalog.aclexplode(
    COALESCE(p.proacl, pg_catalog.acldefault('f', p.proowner))) a ON true
WHERE p.prokind IN ('f', 'p')
  AND (n.nspname = %(system)s OR pg_catalog.starts_with(n.nspname, %(prefix)s))
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                  WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid
                    AND d.deptype = 'e')
ORDER BY 1, 2, 7, 8
