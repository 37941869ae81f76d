-- The ledger of zplus-schema runs: one row per target per apply (applied, failed or noop).
CREATE SCHEMA IF NOT EXISTS zplus_meta;
CREATE TABLE IF NOT EXISTS zplus_meta.ledger (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    target             text        NOT NULL,
    schema_name        text        NOT NULL,
    started_at         timestamptz NOT NULL,
    finished_at        timestamptz NOT NULL,
    duration_ms        integer     NOT NULL,
    applied_by         text        NOT NULL DEFAULT current_user,
    os_user            text,
    client_host        text,
    tool_version       text        NOT NULL,
    plan_hash          text        NOT NULL,
    fingerprint_before text        NOT NULL,
    fingerprint_after  text,
    outcome            text        NOT NULL CHECK (outcome IN ('applied', 'failed', 'noop')),
    statements         integer     NOT NULL,
    error              text,
    sql                text        NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_schema_idx ON zplus_meta.ledger (schema_name, finished_at);

-- The fleet's memory of each tenant schema (fleet/statecache.py): the change stamp read
-- just before a full read, and what that read found. Only a cache: deleting rows (or the
-- table) makes the next run read those schemas in full again.
CREATE TABLE IF NOT EXISTS zplus_meta.fleet_state (
    schema_name text        PRIMARY KEY,
    stamp       text        NOT NULL,
    context     text        NOT NULL,
    digest      text,
    fingerprint text        NOT NULL,
    access      text        NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
)
;
-- Normalized models (live/normcache.py): what the scratch schema made of a model, keyed by
-- the model, the code, the server version and the state of the system schema. A cache.
CREATE TABLE IF NOT EXISTS zplus_meta.normalized (
    key        text        PRIMARY KEY,
    model      text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
