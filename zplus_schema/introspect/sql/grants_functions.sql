-- EXECUTE on functions, named by their identity signature `f(type, ...)` as the model
-- keys them (oidvectortypes: the input argument types, format_type spelling). A NULL
-- proacl is PostgreSQL's default (acldefault: EXECUTE for PUBLIC and the owner): it is
-- read as that default, flagged from_default, never as "no privileges".
SELECT n.nspname::text AS schema_name,
       'function' AS object_type,
       p.proname::text || '(' || oidvectortypes(p.proargtypes) || ')' AS name,
       NULL::text AS column_name,
       COALESCE(r.rolname::text, 'public') AS grantee,
       lower(a.privilege_type) AS privilege,
       a.is_grantable AS grant_option,
       p.proacl IS NULL AS from_default
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
CROSS JOIN LATERAL aclexplode(COALESCE(p.proacl, acldefault('f', p.proowner))) a
LEFT JOIN pg_roles r ON r.oid = a.grantee
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND p.prokind = 'f'
  AND a.grantee <> p.proowner
ORDER BY 1, 3, 5, 6
