-- Unregister a tenant: its schema row and module rows go with it (ON DELETE CASCADE).
DELETE FROM {schema}.tenants WHERE slug = %(slug)s RETURNING id
