-- Role memberships. PostgreSQL 16 records inheritance per grant (inherit_option); older
-- servers take it from the member's rolinherit. to_jsonb reads the column when it exists,
-- so one query serves every version.
SELECT g.rolname::text AS role,
       m.rolname::text AS member,
       a.admin_option AS admin,
       COALESCE((pg_catalog.to_jsonb(a) ->> 'inherit_option')::boolean, m.rolinherit) AS inherit
FROM pg_catalog.pg_auth_members a
JOIN pg_catalog.pg_roles g ON g.oid = a.roleid
JOIN pg_catalog.pg_roles m ON m.oid = a.member
ORDER BY 2, 1
