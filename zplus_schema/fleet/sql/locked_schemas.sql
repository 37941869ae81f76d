-- Which of the given schemas have a relation another session holds in ACCESS EXCLUSIVE
-- mode: reading their catalog entries (constraint texts) would wait for that lock.
SELECT DISTINCT n.nspname::text
  FROM pg_catalog.pg_locks l
  JOIN pg_catalog.pg_class c ON c.oid = l.relation
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE l.granted
   AND l.mode = 'AccessExclusiveLock'
   AND l.pid <> pg_catalog.pg_backend_pid()
   AND n.nspname = ANY(%s)
