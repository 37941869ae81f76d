-- The tables of a schema with their primary key columns in key order (empty: no key),
-- for the per-table row count and checksum a move compares on both servers.
SELECT c.relname::text,
       coalesce((SELECT array_agg(a.attname::text ORDER BY k.ord)
                   FROM pg_catalog.pg_constraint con
                  CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                   JOIN pg_catalog.pg_attribute a
                     ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                  WHERE con.conrelid = c.oid AND con.contype = 'p'), '{}'::text[])
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = %(schema)s AND c.relkind = 'r'
 ORDER BY 1
