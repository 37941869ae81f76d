"""Catalog digests track the model: equal tenants digest equal, any managed change splits."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from tests.fleetutil import prepare_server, register
from tests.zplus import zplus
from zplus_schema.fleet.access import access_digests, tenant_role
from zplus_schema.fleet.digest import digests
from zplus_schema.fleet.inventory import fingerprints

Conn = psycopg.Connection[tuple[object, ...]]

# One managed property changed in schema {s} (tenant role {r}) per case; each must give the
# schema a digest of its own and, the model being the judge, a fingerprint or an access
# digest (grants, tenant role) of its own too.
CHANGES = {
    "column type": "ALTER TABLE {s}.customers ALTER COLUMN notes TYPE varchar(500)",
    "column default": "ALTER TABLE {s}.customers ALTER COLUMN notes SET DEFAULT 'x'",
    "nullability": "ALTER TABLE {s}.customers ALTER COLUMN notes SET NOT NULL",
    "new column": "ALTER TABLE {s}.customers ADD COLUMN extra integer",
    "identity": "ALTER TABLE {s}.customers ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY",
    "generated": "ALTER TABLE {s}.customers ADD COLUMN g text GENERATED ALWAYS AS "
                 "(upper(notes)) STORED",
    "collation": 'ALTER TABLE {s}.customers ALTER COLUMN notes TYPE text COLLATE "C"',
    "index": "CREATE INDEX extra_idx ON {s}.customers (notes)",
    "index predicate": "DROP INDEX {s}.idx_customers_email; CREATE INDEX idx_customers_email "
                       "ON {s}.customers (email) WHERE email IS NOT NULL",
    "check constraint": "ALTER TABLE {s}.customers ADD CONSTRAINT notes_len "
                        "CHECK (length(notes) < 100)",
    "unique constraint": "ALTER TABLE {s}.customers ADD CONSTRAINT email_uq UNIQUE (email)",
    "trigger": "CREATE TRIGGER extra_trg BEFORE UPDATE ON {s}.customers FOR EACH ROW "
               "EXECUTE FUNCTION {s}.extra_fn()",
    "function body": "CREATE OR REPLACE FUNCTION {s}.extra_fn() RETURNS trigger "
                     "LANGUAGE plpgsql AS $$BEGIN RETURN OLD; END$$",
    "policy": "CREATE POLICY extra_pol ON {s}.customers USING (true)",
    "row level security": "ALTER TABLE {s}.customers ENABLE ROW LEVEL SECURITY",
    "table comment": "COMMENT ON TABLE {s}.customers IS 'changed'",
    "column comment": "COMMENT ON COLUMN {s}.customers.notes IS 'changed'",
    "view": "CREATE VIEW {s}.extra_v AS SELECT id FROM {s}.customers",
    "sequence": "CREATE SEQUENCE {s}.extra_seq INCREMENT BY 5",
    "enum": "CREATE TYPE {s}.extra_enum AS ENUM ('a', 'b')",
    "grant to the tenant role": "GRANT TRUNCATE ON {s}.customers TO {r}",
    "grant to another role": "GRANT SELECT ON {s}.customers TO zplus_digest_other",
    "column grant": "GRANT UPDATE (notes) ON {s}.customers TO {r}",
    "revoke": "REVOKE ALL ON {s}.customers FROM {r}",
    "default privileges": "ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT ON TABLES "
                          "TO zplus_digest_other",
}
# Changes to the tenant role (cluster-wide: undone after the test) split the digest too.
ROLE_CHANGES = {
    "role comment": ("COMMENT ON ROLE {r} IS 'by hand'", None),
    "role attribute": ("ALTER ROLE {r} CONNECTION LIMIT 3", "ALTER ROLE {r} CONNECTION LIMIT -1"),
    "role membership": ("GRANT zplus_digest_other TO {r}", "REVOKE zplus_digest_other FROM {r}"),
}


def make_fleet(conn: Conn) -> dict[str, str]:
    """Register tenants a, b, c (same modules, their roles and grants as compiled)."""
    prepare_server(conn)
    conn.execute("DO $$BEGIN CREATE ROLE zplus_digest_other; "
                 "EXCEPTION WHEN duplicate_object THEN NULL; END$$")
    schemas = {slug: register(conn, slug, ["crm"]) for slug in ("a", "b", "c")}
    for schema in schemas.values():
        conn.execute(f"CREATE FUNCTION {schema}.extra_fn() RETURNS trigger LANGUAGE plpgsql "
                     "AS $$BEGIN RETURN NEW; END$$")
    return schemas


def role_name(schema: str) -> str:
    """Return the tenant role policies/ declares for a schema."""
    role = tenant_role(zplus().project, schema)
    assert role is not None
    return role.name


def read(conn: Conn, schemas: dict[str, str]) -> dict[str, str | None]:
    """Return schema -> digest, with each schema's declared tenant role."""
    names = list(schemas.values())
    return digests(conn, names, {s: tenant_role(zplus().project, s) for s in names})


def assert_split(conn: Conn, schemas: dict[str, str], change: str) -> None:
    """Assert b digests apart from a and c, and that the model or access tells it apart."""
    a, b = schemas["a"], schemas["b"]
    got = read(conn, schemas)
    assert got[a] == got[schemas["c"]]
    assert got[b] != got[a], change
    prints = fingerprints(conn, [a, b])
    access = access_digests(conn, zplus().project, [a, b])
    assert (prints[b], access[b]) != (prints[a], access[a])


def test_identical_tenants_digest_equal_and_absent_schemas_say_so(db_conn: Conn) -> None:
    schemas = make_fleet(db_conn)
    got = read(db_conn, schemas)
    assert got[schemas["a"]] == got[schemas["b"]] == got[schemas["c"]] is not None
    assert digests(db_conn, ["tenant_nope"], {}) == {"tenant_nope": "absent"}
    assert read(db_conn, schemas)[schemas["a"]] == read(db_conn, schemas)[schemas["a"]]
    # A name that needs quotes is not digested: the caller introspects it.
    assert digests(db_conn, ["Tenant X"], {}) == {"Tenant X": "absent"}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_any_managed_difference_splits_the_digest(db_conn: Conn, change: str) -> None:
    schemas = make_fleet(db_conn)
    b = schemas["b"]
    db_conn.execute(CHANGES[change].format(s=b, r=role_name(b)))
    assert_split(db_conn, schemas, change)


@pytest.mark.parametrize("change", sorted(ROLE_CHANGES))
def test_a_changed_tenant_role_splits_the_digest(db_conn: Conn, change: str) -> None:
    schemas = make_fleet(db_conn)
    role = role_name(schemas["b"])
    declared = tenant_role(zplus().project, schemas["b"])
    assert declared is not None and declared.comment
    do, undo = ROLE_CHANGES[change]
    db_conn.execute(do.format(r=role))
    try:
        assert_split(db_conn, schemas, change)
    finally:
        db_conn.execute(sql.SQL("COMMENT ON ROLE {} IS {}").format(
            sql.Identifier(role), sql.Literal(declared.comment)))
        if undo:
            db_conn.execute(undo.format(r=role))


def test_own_schema_references_are_relative_but_literals_are_not(db_conn: Conn) -> None:
    schemas = make_fleet(db_conn)
    for schema in schemas.values():  # a default naming the tenant's own sequence: relative
        db_conn.execute(f"CREATE SEQUENCE {schema}.num_seq; ALTER TABLE {schema}.customers "
                        f"ADD COLUMN num bigint DEFAULT nextval('{schema}.num_seq')")
    got = read(db_conn, schemas)
    assert got[schemas["a"]] == got[schemas["b"]]
    for schema in schemas.values():  # a string literal holding the schema name: not relative
        db_conn.execute(f"ALTER TABLE {schema}.customers ALTER COLUMN notes "
                        f"SET DEFAULT '{schema}'")
    got = read(db_conn, schemas)
    prints = fingerprints(db_conn, [schemas["a"], schemas["b"]])
    assert prints[schemas["a"]] != prints[schemas["b"]]
    assert got[schemas["a"]] != got[schemas["b"]]
