-- Views (relkind 'v') and materialized views ('m') with their pretty-printed queries.
SELECT n.nspname::text AS schema_name,
       c.relname::text AS name,
       c.relkind::text AS kind,
       pg_get_viewdef(c.oid, true) AS query,
       c.reloptions AS options,
       obj_description(c.oid, 'pg_class') AS comment
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND c.relkind IN ('v', 'm')
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, 2
