-- Every registered tenant with where its schema lives and its enabled modules.
-- {schema} is the system schema, filled in with psycopg.sql.Identifier.
SELECT t.id::text,
       t.slug::text,
       t.name::text,
       t.status::text,
       ts.schema_name::text,
       ts.database_host::text,
       ts.database_name::text,
       coalesce(array_agg(m.name::text ORDER BY m.name)
                  FILTER (WHERE tm.is_enabled AND m.name IS NOT NULL),
                '{{}}'::text[])
  FROM {schema}.tenants t
  JOIN {schema}.tenant_schemas ts ON ts.tenant_id = t.id
  LEFT JOIN {schema}.tenant_modules tm ON tm.tenant_id = t.id
  LEFT JOIN {schema}.modules m ON m.id = tm.module_id
 GROUP BY t.id, t.slug, t.name, t.status, ts.schema_name, ts.database_host, ts.database_name
 ORDER BY t.slug
