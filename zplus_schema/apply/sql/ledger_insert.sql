INSERT INTO zplus_meta.ledger (
    target, schema_name, started_at, finished_at, duration_ms, os_user, client_host,
    tool_version, plan_hash, fingerprint_before, fingerprint_after, outcome, statements,
    error, sql)
VALUES (
    %(target)s, %(schema_name)s, %(started_at)s, %(finished_at)s, %(duration_ms)s, %(os_user)s,
    %(client_host)s, %(tool_version)s, %(plan_hash)s, %(fingerprint_before)s,
    %(fingerprint_after)s, %(outcome)s, %(statements)s, %(error)s, %(sql)s)
RETURNING id
