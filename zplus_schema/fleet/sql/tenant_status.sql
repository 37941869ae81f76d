-- Set a tenant's status; returns nothing when it already had it.
UPDATE {schema}.tenants
   SET status = %(status)s
 WHERE slug = %(slug)s AND status IS DISTINCT FROM %(status)s
RETURNING id
