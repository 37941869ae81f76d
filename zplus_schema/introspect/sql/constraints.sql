-- Primary key, unique, check, foreign key and exclusion constraints on tables.
-- Constraints a partition or child inherits (conparentid <> 0, NOT conislocal) are left
-- out: they belong to the parent. Column lists keep the order of conkey / confkey.
SELECT n.nspname::text AS schema_name,
       c.relname::text AS table_name,
       con.conname::text AS name,
       con.contype::text AS kind,
       con.condeferrable AS deferrable,
       con.condeferred AS initially_deferred,
       ARRAY(
           SELECT a.attname::text
           FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
           ORDER BY k.ord) AS columns,
       rn.nspname::text AS ref_schema,
       rc.relname::text AS ref_table,
       ARRAY(
           SELECT a.attname::text
           FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
           ORDER BY k.ord) AS ref_columns,
       con.confupdtype::text AS on_update,
       con.confdeltype::text AS on_delete,
       pg_get_expr(con.conbin, con.conrelid) AS check_expr,
       con.connoinherit AS no_inherit,
       CASE WHEN con.contype = 'x' THEN pg_get_constraintdef(con.oid) END AS definition,
       COALESCE(ix.indnullsnotdistinct, false) AS nulls_not_distinct,
       obj_description(con.oid, 'pg_constraint') AS comment
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_index ix ON con.contype = 'u' AND ix.indexrelid = con.conindid
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND con.contype IN ('p', 'u', 'c', 'f', 'x')
  AND con.conparentid = 0
  AND con.conislocal
ORDER BY 1, 2, 3
