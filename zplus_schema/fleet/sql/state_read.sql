-- The cached states of some schemas, written under the same context (code, server,
-- declarations): the caller keeps those whose stamp is still the live one.
SELECT schema_name, stamp, digest, fingerprint, access
FROM zplus_meta.fleet_state
WHERE schema_name = ANY(%(schemas)s::text[]) AND context = %(context)s
