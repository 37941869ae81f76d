-- Sequences, except those an identity column owns (pg_depend deptype 'i') and extension
-- members. owned_by comes from the 'a' dependency that ALTER SEQUENCE ... OWNED BY records.
SELECT n.nspname::text AS schema_name,
       c.relname::text AS name,
       format_type(s.seqtypid, NULL) AS type,
       s.seqstart AS start,
       s.seqincrement AS increment,
       s.seqmin AS min_value,
       s.seqmax AS max_value,
       s.seqcache AS cache,
       s.seqcycle AS cycle,
       own.table_schema,
       own.table_name,
       own.column_name,
       obj_description(c.oid, 'pg_class') AS comment
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN LATERAL (
    SELECT tn.nspname::text AS table_schema,
           tc.relname::text AS table_name,
           a.attname::text AS column_name
    FROM pg_depend d
    JOIN pg_class tc ON tc.oid = d.refobjid
    JOIN pg_namespace tn ON tn.oid = tc.relnamespace
    JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
    WHERE d.classid = 'pg_class'::regclass
      AND d.objid = c.oid
      AND d.refclassid = 'pg_class'::regclass
      AND d.refobjsubid > 0
      AND d.deptype = 'a'
    LIMIT 1
) own ON true
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('i', 'e'))
ORDER BY 1, 2
