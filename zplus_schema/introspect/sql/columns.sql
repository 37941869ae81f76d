-- Live columns of every table of the requested schemas, in attnum order.
-- The collation is given only where it differs from the column type's own.
SELECT n.nspname::text AS schema_name,
       c.relname::text AS table_name,
       a.attname::text AS name,
       format_type(a.atttypid, a.atttypmod) AS type,
       NOT a.attnotnull AS nullable,
       pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       CASE WHEN a.attcollation <> t.typcollation THEN co.collname::text END AS collation,
       col_description(c.oid, a.attnum) AS comment,
       a.attislocal AS is_local
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND c.relkind IN ('r', 'p')
  AND a.attnum > 0
  AND NOT a.attisdropped
ORDER BY 1, 2, a.attnum
