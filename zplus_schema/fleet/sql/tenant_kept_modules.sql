-- Modules a tenant has a row for, enabled or not: a disabled module keeps its tables.
SELECT m.name::text, tm.is_enabled
  FROM {schema}.tenant_modules tm
  JOIN {schema}.modules m ON m.id = tm.module_id
  JOIN {schema}.tenants t ON t.id = tm.tenant_id
 WHERE t.slug = %(slug)s
 ORDER BY m.name
