-- Domains: base type, NOT NULL, default, collation (only when it differs from the base
-- type's) and named check constraints as pg_get_constraintdef renders them.
SELECT n.nspname::text AS schema_name,
       t.typname::text AS name,
       format_type(t.typbasetype, t.typtypmod) AS base_type,
       NOT t.typnotnull AS nullable,
       pg_get_expr(t.typdefaultbin, 0) AS default_expr,
       CASE WHEN t.typcollation <> bt.typcollation THEN co.collname::text END AS collation,
       ARRAY(
           SELECT con.conname::text FROM pg_constraint con
           WHERE con.contypid = t.oid AND con.contype = 'c' ORDER BY con.conname) AS check_names,
       ARRAY(
           SELECT pg_get_constraintdef(con.oid) FROM pg_constraint con
           WHERE con.contypid = t.oid AND con.contype = 'c' ORDER BY con.conname) AS check_defs,
       obj_description(t.oid, 'pg_type') AS comment
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_collation co ON co.oid = t.typcollation
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND t.typtype = 'd'
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
ORDER BY 1, 2
