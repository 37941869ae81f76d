-- A tenant's registry rows as JSON, for the backup's sidecar file.
SELECT jsonb_build_object(
         'tenant', to_jsonb(t) - 'created_at' - 'updated_at',
         'schema', to_jsonb(ts) - 'id' - 'tenant_id' - 'created_at',
         'modules', coalesce((SELECT jsonb_agg(jsonb_build_object(
                                       'name', m.name, 'enabled', tm.is_enabled,
                                       'config', tm.config) ORDER BY m.name)
                                FROM {schema}.tenant_modules tm
                                JOIN {schema}.modules m ON m.id = tm.module_id
                               WHERE tm.tenant_id = t.id), '[]'::jsonb))
  FROM {schema}.tenants t
  JOIN {schema}.tenant_schemas ts ON ts.tenant_id = t.id
 WHERE t.slug = %(slug)s
