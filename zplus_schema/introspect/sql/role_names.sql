-- Every role of the cluster except PostgreSQL's predefined pg_* roles: the system target
-- reports those the definitions do not manage (they are never dropped).
SELECT r.rolname::text AS name
FROM pg_roles r
WHERE r.rolname !~ '^pg_'
ORDER BY 1
