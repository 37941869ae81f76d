-- Remember what a full read found for one schema, under the stamp read before it.
INSERT INTO zplus_meta.fleet_state AS f
    (schema_name, stamp, context, digest, fingerprint, access, recorded_at)
VALUES (%(schema)s, %(stamp)s, %(context)s, %(digest)s, %(fingerprint)s, %(access)s, now())
ON CONFLICT (schema_name) DO UPDATE
SET stamp = excluded.stamp, context = excluded.context, digest = excluded.digest,
    fingerprint = excluded.fingerprint, access = excluded.access,
    recorded_at = excluded.recorded_at
