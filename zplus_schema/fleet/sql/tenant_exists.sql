-- Whether a slug is registered.
SELECT 1 FROM {schema}.tenants WHERE slug = %(slug)s
