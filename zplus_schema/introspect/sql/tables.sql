-- Ordinary and partitioned tables of the requested schemas, one row per table.
-- Extension members are left out: the extension owns them.
SELECT n.nspname::text AS schema_name,
       c.relname::text AS name,
       c.oid,
       c.relrowsecurity AS rls_enabled,
       c.relforcerowsecurity AS rls_forced,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_by,
       c.relispartition AS is_partition,
       pn.nspname::text AS parent_schema,
       p.relname::text AS parent_name,
       pg_get_expr(c.relpartbound, c.oid) AS partition_bound,
       descr.description AS comment
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
LEFT JOIN pg_class p ON p.oid = i.inhparent
LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace
LEFT JOIN pg_description descr
       ON descr.objoid = c.oid AND descr.classoid = 'pg_class'::regclass AND descr.objsubid = 0
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND c.relkind IN ('r', 'p')
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
