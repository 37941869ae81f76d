-- Indexes on tables and materialized views that do not back a constraint and are not
-- a partition's copy of its parent's index. Per key position k (1-based): the attnum
-- (0 for an expression; the reader names columns from columns.sql), the expression text
-- (only for indexes that have expressions) and indoption bits.
-- `definition` is read only for what ruleutils decides: non-default opclass and collation.
SELECT n.nspname::text AS schema_name,
       ic.relname::text AS name,
       c.relname::text AS table_name,
       ix.indisunique AS is_unique,
       am.amname::text AS method,
       ix.indnkeyatts AS key_count,
       ix.indrelid AS table_oid,
       ix.indkey::int[] AS attnums,
       CASE WHEN 0 = ANY(ix.indkey::int[]) THEN ARRAY(
           SELECT CASE WHEN ix.indkey[k - 1] = 0
                       THEN pg_get_indexdef(ix.indexrelid, k, true) END
           FROM generate_series(1, ix.indnkeyatts) AS k
           ORDER BY k) END AS expressions,
       ix.indoption::int[] AS options,
       pg_get_expr(ix.indpred, ix.indrelid) AS predicate,
       ix.indnullsnotdistinct AS nulls_not_distinct,
       pg_get_indexdef(ix.indexrelid) AS definition,
       descr.description AS comment
FROM pg_index ix
JOIN pg_class ic ON ic.oid = ix.indexrelid
JOIN pg_class c ON c.oid = ix.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_description descr
       ON descr.objoid = ix.indexrelid AND descr.classoid = 'pg_class'::regclass
      AND descr.objsubid = 0
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND c.relkind IN ('r', 'p', 'm')
  AND NOT EXISTS (
      SELECT FROM pg_constraint con
      WHERE con.conindid = ix.indexrelid AND con.contype IN ('p', 'u', 'x'))
  AND NOT EXISTS (SELECT FROM pg_inherits inh WHERE inh.inhrelid = ix.indexrelid)
