-- Grant the declared (role, permission) pairs a tenant lacks; existing grants stay as they are.
-- {schema} is the tenant schema (psycopg.sql.Identifier); the parameters are parallel arrays of role and permission names.
INSERT INTO {schema}.role_permissions (role_id, permission_id)
SELECT r.id, p.id
  FROM unnest(%s::text[], %s::text[]) AS d(role_name, permission_name)
  JOIN {schema}.roles r ON r.name = d.role_name
  JOIN {schema}.permissions p ON p.name = d.permission_name
    ON CONFLICT (role_id, permission_id) DO NOTHING
RETURNING (SELECT name FROM {schema}.roles WHERE id = role_id),
          (SELECT name FROM {schema}.permissions WHERE id = permission_id)
