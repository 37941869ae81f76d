-- Cluster roles named in %(roles)s (the ones a target manages); never passwords.
SELECT r.rolname::text AS name,
       r.rolcanlogin AS login,
       r.rolinherit AS inherit,
       r.rolconnlimit AS connection_limit,
       r.rolsuper AS superuser,
       r.rolcreatedb AS createdb,
       r.rolcreaterole AS createrole,
       r.rolbypassrls AS bypassrls,
       r.rolreplication AS replication,
       shobj_description(r.oid, 'pg_authid') AS comment
FROM pg_roles r
WHERE r.rolname = ANY(%(roles)s::name[])
ORDER BY 1
