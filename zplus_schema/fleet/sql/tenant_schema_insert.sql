-- Record where a tenant's schema lives: database_host is a server name of zplus.yaml.
INSERT INTO {schema}.tenant_schemas (tenant_id, schema_name, database_host, database_name)
VALUES (%(tenant_id)s::uuid, %(schema_name)s, %(server)s, %(database)s)
