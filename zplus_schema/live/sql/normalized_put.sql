-- Remember a normalized model; entries unused for 30 days go (the key changes with the code,
-- the server version and the system schema, so old ones are never read again).
WITH gone AS (
    DELETE FROM zplus_meta.normalized WHERE created_at < now() - interval '30 days'
)
INSERT INTO zplus_meta.normalized (key, model, created_at) VALUES (%(key)s, %(model)s, now())
ON CONFLICT (key) DO UPDATE SET created_at = excluded.created_at
