-- Forget a module of a tenant entirely (after its tables were dropped).
DELETE FROM {schema}.tenant_modules tm
 USING {schema}.modules m
 WHERE m.id = tm.module_id AND tm.tenant_id = %(tenant_id)s::uuid AND m.name = %(module)s
