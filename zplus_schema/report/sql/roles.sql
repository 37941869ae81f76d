-- Every role of the cluster with its attributes; oid 10 is the bootstrap superuser.
SELECT r.rolname::text AS name,
       r.rolcanlogin AS login,
       r.rolsuper AS superuser,
       r.rolbypassrls AS bypassrls,
       r.rolcreaterole AS createrole,
       r.rolcreatedb AS createdb,
       r.rolinherit AS inherit,
       r.rolconnlimit AS connection_limit,
       r.oid = 10 AS bootstrap
FROM pg_catalog.pg_roles r
ORDER BY 1
