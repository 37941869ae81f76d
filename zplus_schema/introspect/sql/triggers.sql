-- User triggers: not internal (FK triggers) and not a partition's clone of its parent's.
-- tgargs is bytea, each argument NUL-terminated; update_of keeps tgattr's order.
-- The definition is read only for its WHEN condition.
SELECT n.nspname::text AS schema_name,
       c.relname::text AS table_name,
       t.tgname::text AS name,
       t.tgtype::int AS tgtype,
       CASE WHEN t.tgattr::int2[] <> '{}' THEN ARRAY(
           SELECT a.attname::text
           FROM unnest(t.tgattr::int2[]) WITH ORDINALITY AS u(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = u.attnum
           ORDER BY u.ord) END AS update_of,
       fn.nspname::text AS function_schema,
       p.proname::text AS function_name,
       t.tgnargs::int AS arg_count,
       t.tgargs AS args,
       CASE WHEN t.tgqual IS NOT NULL THEN pg_get_triggerdef(t.oid, true) END AS definition,
       t.tgconstraint <> 0 AS is_constraint_trigger,
       descr.description AS comment
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc p ON p.oid = t.tgfoid
JOIN pg_namespace fn ON fn.oid = p.pronamespace
LEFT JOIN pg_description descr
       ON descr.objoid = t.oid AND descr.classoid = 'pg_trigger'::regclass
      AND descr.objsubid = 0
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND NOT t.tgisinternal
  AND t.tgparentid = 0
