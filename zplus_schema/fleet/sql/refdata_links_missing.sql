-- The declared (role, permission) grants a tenant schema does not hold.
-- {schema} is the tenant schema (psycopg.sql.Identifier); the parameters are parallel arrays of role and permission names.
SELECT d.role_name, d.permission_name
  FROM unnest(%s::text[], %s::text[]) AS d(role_name, permission_name)
  LEFT JOIN {schema}.roles r ON r.name = d.role_name
  LEFT JOIN {schema}.permissions p ON p.name = d.permission_name
  LEFT JOIN {schema}.role_permissions rp ON rp.role_id = r.id AND rp.permission_id = p.id
 WHERE rp.id IS NULL
 ORDER BY 1, 2
