-- Point a tenant at the server (and database) now holding its schema.
UPDATE {schema}.tenant_schemas ts
   SET database_host = %(server)s, database_name = %(database)s
  FROM {schema}.tenants t
 WHERE t.id = ts.tenant_id AND t.slug = %(slug)s AND ts.database_host = %(old_server)s
RETURNING ts.id
