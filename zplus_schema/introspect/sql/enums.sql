-- Enum types and their labels in enumsortorder.
SELECT n.nspname::text AS schema_name,
       t.typname::text AS name,
       ARRAY(
           SELECT e.enumlabel::text FROM pg_enum e
           WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels,
       obj_description(t.oid, 'pg_type') AS comment
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND t.typtype = 'e'
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
ORDER BY 1, 2
