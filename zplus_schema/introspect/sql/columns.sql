-- Live columns of every table (and, for index keys' names, materialized view) of the
-- requested schemas, in attnum order per relation. The collation is given only where it
-- differs from the column type's own.
-- A default is deparsed without its table (relid 0) unless it is a generation expression,
-- the only kind that can mention columns: pg_get_expr then need not open the table.
SELECT n.nspname::text AS schema_name,
       c.relkind = 'm' AS is_matview,
       a.attrelid AS table_oid,
       a.attnum::int AS attnum,
       a.attname::text AS name,
       format_type(a.atttypid, a.atttypmod) AS type,
       NOT a.attnotnull AS nullable,
       pg_get_expr(ad.adbin, CASE WHEN a.attgenerated <> '' THEN ad.adrelid ELSE 0 END)
           AS default_expr,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       CASE WHEN a.attcollation <> t.typcollation THEN co.collname::text END AS collation,
       descr.description AS comment,
       a.attislocal AS is_local
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_description descr
       ON descr.objoid = a.attrelid AND descr.classoid = 'pg_class'::regclass
      AND descr.objsubid = a.attnum
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND c.relkind IN ('r', 'p', 'm')
  AND a.attnum > 0
  AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
