-- Objects in the requested schemas that the model cannot represent, to report (never to
-- drop): one branch per catalog. Extension members are the extension's business.
SELECT n.nspname::text AS schema_name,
       CASE c.relkind WHEN 'f' THEN 'foreign table' ELSE 'composite type' END AS kind,
       c.relname::text AS name
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND c.relkind IN ('f', 'c')
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')

UNION ALL  -- tables typed by a composite type, or inheriting from a table (not partitions)
SELECT n.nspname::text,
       CASE WHEN c.reloftype <> 0 THEN 'typed table' ELSE 'inheritance child table' END,
       c.relname::text
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND c.relkind IN ('r', 'p')
  AND (c.reloftype <> 0
       OR (NOT c.relispartition
           AND EXISTS (SELECT FROM pg_inherits i WHERE i.inhrelid = c.oid)))
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')

UNION ALL  -- base, range, multirange and shell types (not the arrays PostgreSQL adds)
SELECT n.nspname::text,
       CASE t.typtype WHEN 'b' THEN 'base type' WHEN 'r' THEN 'range type'
                      WHEN 'm' THEN 'multirange type' ELSE 'shell type' END,
       t.typname::text
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND t.typtype IN ('b', 'r', 'm', 'p')
  AND NOT EXISTS (SELECT FROM pg_type e WHERE e.typarray = t.oid)
  AND NOT EXISTS (SELECT FROM pg_range r WHERE r.rngmultitypid = t.oid)
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')

UNION ALL  -- aggregates and window functions
SELECT n.nspname::text,
       CASE p.prokind WHEN 'a' THEN 'aggregate' ELSE 'window function' END,
       p.proname::text || '(' || pg_get_function_identity_arguments(p.oid) || ')'
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND p.prokind IN ('a', 'w')
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')

UNION ALL  -- operators
SELECT n.nspname::text,
       'operator',
       o.oprname::text || '(' || COALESCE(format_type(NULLIF(o.oprleft, 0), NULL), 'NONE')
           || ', ' || COALESCE(format_type(NULLIF(o.oprright, 0), NULL), 'NONE') || ')'
FROM pg_operator o
JOIN pg_namespace n ON n.oid = o.oprnamespace
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_operator'::regclass AND d.objid = o.oid AND d.deptype = 'e')

UNION ALL  -- rewrite rules, except the _RETURN rule that makes a view
SELECT n.nspname::text, 'rule', c.relname::text || '.' || r.rulename::text
FROM pg_rewrite r
JOIN pg_class c ON c.oid = r.ev_class
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND r.rulename <> '_RETURN'
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')

UNION ALL  -- collations
SELECT n.nspname::text, 'collation', o.collname::text
FROM pg_collation o
JOIN pg_namespace n ON n.oid = o.collnamespace
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_collation'::regclass AND d.objid = o.oid AND d.deptype = 'e')

UNION ALL  -- encoding conversions
SELECT n.nspname::text, 'conversion', o.conname::text
FROM pg_conversion o
JOIN pg_namespace n ON n.oid = o.connamespace
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_conversion'::regclass AND d.objid = o.oid AND d.deptype = 'e')

UNION ALL  -- operator classes
SELECT n.nspname::text, 'operator class', o.opcname::text
FROM pg_opclass o
JOIN pg_namespace n ON n.oid = o.opcnamespace
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_opclass'::regclass AND d.objid = o.oid AND d.deptype = 'e')

UNION ALL  -- operator families
SELECT n.nspname::text, 'operator family', o.opfname::text
FROM pg_opfamily o
JOIN pg_namespace n ON n.oid = o.opfnamespace
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_opfamily'::regclass AND d.objid = o.oid AND d.deptype = 'e')

UNION ALL  -- text search configurations
SELECT n.nspname::text, 'text search configuration', o.cfgname::text
FROM pg_ts_config o
JOIN pg_namespace n ON n.oid = o.cfgnamespace
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_ts_config'::regclass AND d.objid = o.oid AND d.deptype = 'e')

UNION ALL  -- text search dictionaries
SELECT n.nspname::text, 'text search dictionary', o.dictname::text
FROM pg_ts_dict o
JOIN pg_namespace n ON n.oid = o.dictnamespace
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_ts_dict'::regclass AND d.objid = o.oid AND d.deptype = 'e')

UNION ALL  -- text search parsers
SELECT n.nspname::text, 'text search parser', o.prsname::text
FROM pg_ts_parser o
JOIN pg_namespace n ON n.oid = o.prsnamespace
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_ts_parser'::regclass AND d.objid = o.oid AND d.deptype = 'e')

UNION ALL  -- text search templates
SELECT n.nspname::text, 'text search template', o.tmplname::text
FROM pg_ts_template o
JOIN pg_namespace n ON n.oid = o.tmplnamespace
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_ts_template'::regclass AND d.objid = o.oid AND d.deptype = 'e')

UNION ALL  -- extended statistics
SELECT n.nspname::text, 'statistics', o.stxname::text
FROM pg_statistic_ext o
JOIN pg_namespace n ON n.oid = o.stxnamespace
WHERE n.nspname = ANY(%(schemas)s::name[])
  AND NOT EXISTS (
      SELECT FROM pg_depend d
      WHERE d.classid = 'pg_statistic_ext'::regclass AND d.objid = o.oid AND d.deptype = 'e')

ORDER BY 1, 2, 3
