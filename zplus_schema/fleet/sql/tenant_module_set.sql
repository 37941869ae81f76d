-- Enable or disable one module for a tenant (a disabled module's row keeps its tables).
INSERT INTO {schema}.tenant_modules (tenant_id, module_id, is_enabled)
SELECT %(tenant_id)s::uuid, m.id, %(enabled)s
  FROM {schema}.modules m
 WHERE m.name = %(module)s
    ON CONFLICT (tenant_id, module_id) DO UPDATE
   SET is_enabled = excluded.is_enabled, updated_at = now()
 WHERE tenant_modules.is_enabled IS DISTINCT FROM excluded.is_enabled
RETURNING id
