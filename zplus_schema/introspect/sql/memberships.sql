-- Memberships where the group or the member is one of %(roles)s; one row per pair
-- (PostgreSQL 16+ may hold one grant per grantor).
SELECT g.rolname::text AS role,
       m.rolname::text AS member,
       bool_or(am.admin_option) AS admin_option
FROM pg_auth_members am
JOIN pg_roles g ON g.oid = am.roleid
JOIN pg_roles m ON m.oid = am.member
WHERE g.rolname = ANY(%(roles)s::name[]) OR m.rolname = ANY(%(roles)s::name[])
GROUP BY 1, 2
ORDER BY 1, 2
