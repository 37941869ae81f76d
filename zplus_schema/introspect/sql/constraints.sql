-- Primary key, unique, check, foreign key and exclusion constraints on tables.
-- Constraints a partition or child inherits (conparentid <> 0, NOT conislocal) are left
-- out: they belong to the parent. Column lists are attnums in the order of conkey /
-- confkey (the reader names them from columns.sql); a foreign key's referenced columns
-- are named here when its table is outside the requested schemas.
SELECT n.nspname::text AS schema_name,
       c.relname::text AS table_name,
       con.conname::text AS name,
       con.contype::text AS kind,
       con.condeferrable AS deferrable,
       con.condeferred AS initially_deferred,
       con.conrelid AS table_oid,
       CASE WHEN con.contype IN ('p', 'u', 'f') THEN con.conkey::int[] END AS columns,
       rn.nspname::text AS ref_schema,
       rc.relname::text AS ref_table,
       con.confrelid AS ref_oid,
       CASE WHEN con.contype = 'f' THEN con.confkey::int[] END AS ref_attnums,
       CASE WHEN con.contype = 'f' AND NOT rn.nspname = ANY(%(schemas)s::name[]) THEN ARRAY(
           SELECT a.attname::text
           FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
           ORDER BY k.ord) END AS ref_columns,
       con.confupdtype::text AS on_update,
       con.confdeltype::text AS on_delete,
       pg_get_expr(con.conbin, con.conrelid) AS check_expr,
       con.connoinherit AS no_inherit,
       CASE WHEN con.contype = 'x' THEN pg_get_constraintdef(con.oid) END AS definition,
       COALESCE(ix.indnullsnotdistinct, false) AS nulls_not_distinct,
       descr.description AS comment
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_index ix ON con.contype = 'u' AND ix.indexrelid = con.conindid
LEFT JOIN pg_description descr
       ON descr.objoid = con.oid AND descr.classoid = 'pg_constraint'::regclass
      AND descr.objsubid = 0
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND con.contype IN ('p', 'u', 'c', 'f', 'x')
  AND con.conparentid = 0
  AND con.conislocal
