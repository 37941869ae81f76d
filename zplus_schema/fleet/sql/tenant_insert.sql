-- Register a tenant; a restore passes its former id to keep audit history linked.
-- {schema} is the system schema (psycopg.sql.Identifier).
INSERT INTO {schema}.tenants (id, slug, name, status, settings)
VALUES (coalesce(%(id)s::uuid, gen_random_uuid()), %(slug)s, %(name)s, %(status)s,
        coalesce(%(settings)s::jsonb, '{{}}'::jsonb))
RETURNING id::text
