"""The audit trigger public.audit_row_change() and set_updated_at(), on a real database.

Every test builds the Zplus database (system schema plus tenant schemas) in a fresh
database, writes through plain SQL as the application would, and reads public.audit_logs
back. `drain` empties the log and returns what it held, so each check sees exactly the
rows written since the previous one.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import errors, sql

from tests.zplus import build_zplus

Conn = psycopg.Connection[tuple[object, ...]]


@dataclass(frozen=True)
class Audit:
    """One row of public.audit_logs (ids as text)."""

    tenant_id: str | None
    user_id: str | None
    user_type: str
    action: str
    resource: str
    resource_id: str | None
    details: dict[str, Any]


@dataclass
class Zplus:
    """A built Zplus database: the connection and the tenant id of each slug."""

    conn: Conn
    ids: dict[str, str]
    users: dict[str, str] = field(default_factory=dict)  # slug -> a tenant user's id


# --- helpers -------------------------------------------------------------------------------


def drain(conn: Conn) -> list[Audit]:
    """Delete every audit_logs row and return them, ordered by resource_id."""
    rows = conn.execute(
        "DELETE FROM public.audit_logs RETURNING tenant_id::text, user_id::text, user_type,"
        " action, resource, resource_id::text, details"
    ).fetchall()
    audits = [
        Audit(
            tenant_id=_opt_str(r[0]),
            user_id=_opt_str(r[1]),
            user_type=str(r[2]),
            action=str(r[3]),
            resource=str(r[4]),
            resource_id=_opt_str(r[5]),
            details=as_dict(r[6]),
        )
        for r in rows
    ]
    return sorted(audits, key=lambda a: (a.resource_id or "", a.action))


def _opt_str(value: object) -> str | None:
    """Return str(value), keeping None."""
    return None if value is None else str(value)


def as_dict(value: object) -> dict[str, Any]:
    """Return a jsonb object psycopg loaded, checking that it is one."""
    assert isinstance(value, dict), value
    return value


def only(conn: Conn) -> Audit:
    """Drain the log and return its single row (failing if there is not exactly one)."""
    audits = drain(conn)
    assert len(audits) == 1, audits
    return audits[0]


def row_json(conn: Conn, table: str, row_id: str) -> dict[str, Any]:
    """Return a row as to_jsonb() sees it, as the audit trigger would store it."""
    query = sql.SQL("SELECT to_jsonb(t) FROM {} t WHERE t.id = %s").format(
        sql.Identifier(*table.split("."))
    )
    row = conn.execute(query, (row_id,)).fetchone()
    assert row is not None, (table, row_id)
    return as_dict(row[0])


def insert_customer(conn: Conn, schema: str = "tenant_acme", name: str = "Ann") -> str:
    """Insert a customer and return its id."""
    query = sql.SQL("INSERT INTO {}.customers (name) VALUES (%s) RETURNING id").format(
        sql.Identifier(schema)
    )
    row = conn.execute(query, (name,)).fetchone()
    assert row is not None
    return str(row[0])


def insert_user(conn: Conn, schema: str, email: str, password_hash: str = "$2b$hash") -> str:
    """Insert a tenant user and return its id."""
    query = sql.SQL(
        "INSERT INTO {}.users (email, password_hash, name) VALUES (%s, %s, 'U') RETURNING id"
    ).format(sql.Identifier(schema))
    row = conn.execute(query, (email, password_hash)).fetchone()
    assert row is not None
    return str(row[0])


def scalar(conn: Conn, query: str, params: tuple[object, ...] = ()) -> object:
    """Return the single value of a one-row, one-column query."""
    row = conn.execute(query, params).fetchone()
    assert row is not None
    return row[0]


@pytest.fixture
def zdb(db_conn: Conn) -> Zplus:
    """Build the system schema and tenants acme and beta (all modules); empty the log."""
    ids = build_zplus(db_conn, {"acme": None, "beta": None})
    drain(db_conn)
    return Zplus(db_conn, ids)


# --- one write, one audit row --------------------------------------------------------------


def test_insert_is_logged_with_new_row(zdb: Zplus) -> None:
    cid = insert_customer(zdb.conn)
    audit = only(zdb.conn)
    assert audit == Audit(
        tenant_id=zdb.ids["acme"],
        user_id=None,
        user_type="tenant",
        action="INSERT",
        resource="customers",
        resource_id=cid,
        details={
            "schema": "tenant_acme",
            "old": None,
            "new": row_json(zdb.conn, "tenant_acme.customers", cid),
        },
    )
    assert audit.details["new"]["name"] == "Ann"


def test_update_is_logged_with_old_and_new_row(zdb: Zplus) -> None:
    cid = insert_customer(zdb.conn)
    before = row_json(zdb.conn, "tenant_acme.customers", cid)
    drain(zdb.conn)
    zdb.conn.execute("UPDATE tenant_acme.customers SET status = 'active' WHERE id = %s", (cid,))
    audit = only(zdb.conn)
    assert (audit.tenant_id, audit.action, audit.resource, audit.resource_id) == (
        zdb.ids["acme"],
        "UPDATE",
        "customers",
        cid,
    )
    assert audit.details == {
        "schema": "tenant_acme",
        "old": before,
        "new": row_json(zdb.conn, "tenant_acme.customers", cid),
    }
    assert (audit.details["old"]["status"], audit.details["new"]["status"]) == ("lead", "active")


def test_delete_is_logged_with_old_row(zdb: Zplus) -> None:
    cid = insert_customer(zdb.conn)
    before = row_json(zdb.conn, "tenant_acme.customers", cid)
    drain(zdb.conn)
    zdb.conn.execute("DELETE FROM tenant_acme.customers WHERE id = %s", (cid,))
    audit = only(zdb.conn)
    assert (audit.tenant_id, audit.user_type, audit.action, audit.resource_id) == (
        zdb.ids["acme"],
        "tenant",
        "DELETE",
        cid,
    )
    assert audit.details == {"schema": "tenant_acme", "old": before, "new": None}


def test_tenant_is_the_owner_of_the_schema(zdb: Zplus) -> None:
    acme = insert_customer(zdb.conn, "tenant_acme")
    beta = insert_customer(zdb.conn, "tenant_beta")
    by_row = {a.resource_id: (a.tenant_id, a.details["schema"]) for a in drain(zdb.conn)}
    assert by_row == {
        acme: (zdb.ids["acme"], "tenant_acme"),
        beta: (zdb.ids["beta"], "tenant_beta"),
    }
    assert zdb.ids["acme"] != zdb.ids["beta"]


def test_module_table_is_audited(zdb: Zplus) -> None:
    row = zdb.conn.execute(
        "INSERT INTO tenant_beta.product_categories (name) VALUES ('Drinks') RETURNING id"
    ).fetchone()
    assert row is not None
    audit = only(zdb.conn)
    assert (audit.tenant_id, audit.action, audit.resource, audit.resource_id) == (
        zdb.ids["beta"],
        "INSERT",
        "product_categories",
        str(row[0]),
    )


# --- the acting user -----------------------------------------------------------------------


def test_session_user_id_is_recorded(zdb: Zplus) -> None:
    actor = str(uuid.uuid4())
    zdb.conn.execute(sql.SQL("SET app.user_id = {}").format(sql.Literal(actor)))
    insert_customer(zdb.conn)
    assert only(zdb.conn).user_id == actor


def test_transaction_local_user_id_is_recorded_and_forgotten(zdb: Zplus) -> None:
    actor = str(uuid.uuid4())
    with zdb.conn.transaction():
        zdb.conn.execute("SELECT set_config('app.user_id', %s, true)", (actor,))
        insert_customer(zdb.conn, name="inside")
    insert_customer(zdb.conn, name="after")
    by_name = {a.details["new"]["name"]: a.user_id for a in drain(zdb.conn)}
    assert by_name == {"inside": actor, "after": None}


def test_without_settings_the_write_succeeds_with_no_user(zdb: Zplus) -> None:
    assert scalar(zdb.conn, "SELECT current_setting('app.user_id', true)") is None
    assert scalar(zdb.conn, "SELECT current_setting('app.tenant_id', true)") is None
    cid = insert_customer(zdb.conn)
    audit = only(zdb.conn)
    assert (audit.user_id, audit.tenant_id, audit.resource_id) == (None, zdb.ids["acme"], cid)


def test_reset_user_id_logs_no_user(zdb: Zplus) -> None:
    """After SET and RESET the setting exists but is '' (not NULL)."""
    zdb.conn.execute(sql.SQL("SET app.user_id = {}").format(sql.Literal(str(uuid.uuid4()))))
    zdb.conn.execute("RESET app.user_id")
    assert scalar(zdb.conn, "SELECT current_setting('app.user_id', true)") == ""
    insert_customer(zdb.conn)
    assert only(zdb.conn).user_id is None


@pytest.mark.parametrize(
    "bad", ["not-a-uuid", "12345", " ", "{}", "8c6c4a7e-1b1e-4d4f-9c55-0d1f3e2a6b7cx"]
)
def test_malformed_settings_never_fail_the_write(zdb: Zplus, bad: str) -> None:
    for name in ("app.user_id", "app.tenant_id"):
        zdb.conn.execute("SELECT set_config(%s, %s, false)", (name, bad))
    cid = insert_customer(zdb.conn)
    audit = only(zdb.conn)
    assert (audit.user_id, audit.tenant_id, audit.resource_id) == (None, zdb.ids["acme"], cid)
    assert scalar(zdb.conn, "SELECT count(*) FROM tenant_acme.customers") == 1


# --- many rows, no rows, failed writes -----------------------------------------------------


def test_multi_row_update_logs_one_row_per_changed_row(zdb: Zplus) -> None:
    ids = sorted(insert_customer(zdb.conn, name=f"c{i}") for i in range(4))
    drain(zdb.conn)
    zdb.conn.execute(
        "UPDATE tenant_acme.customers SET notes = 'x' WHERE name IN ('c0', 'c1', 'c2', 'c3')"
    )
    audits = drain(zdb.conn)
    assert [a.resource_id for a in audits] == ids
    assert {(a.action, a.tenant_id, a.details["new"]["notes"]) for a in audits} == {
        ("UPDATE", zdb.ids["acme"], "x")
    }


def test_statement_changing_no_row_logs_nothing(zdb: Zplus) -> None:
    insert_customer(zdb.conn)
    drain(zdb.conn)
    zdb.conn.execute("UPDATE tenant_acme.customers SET notes = 'x' WHERE false")
    zdb.conn.execute("DELETE FROM tenant_acme.customers WHERE name = 'nobody'")
    assert drain(zdb.conn) == []


def test_rolled_back_transaction_leaves_no_audit_row(zdb: Zplus) -> None:
    with zdb.conn.transaction():
        insert_customer(zdb.conn)
        assert scalar(zdb.conn, "SELECT count(*) FROM public.audit_logs") == 1
        raise psycopg.Rollback
    assert scalar(zdb.conn, "SELECT count(*) FROM public.audit_logs") == 0
    assert scalar(zdb.conn, "SELECT count(*) FROM tenant_acme.customers") == 0


def test_failed_statement_leaves_no_audit_row(zdb: Zplus) -> None:
    with pytest.raises(errors.CheckViolation):
        zdb.conn.execute(
            "INSERT INTO tenant_acme.customers (name, status) VALUES ('a', 'ok'), ('b', 'bad')"
        )
    assert drain(zdb.conn) == []


def test_failing_audit_insert_fails_the_write(zdb: Zplus) -> None:
    """Errors of the audit INSERT itself are not swallowed: no unaudited change."""
    zdb.conn.execute(
        "ALTER TABLE public.audit_logs ADD CONSTRAINT no_customers CHECK (resource <> 'customers')"
    )
    with pytest.raises(errors.CheckViolation, match="no_customers"):
        insert_customer(zdb.conn)
    assert scalar(zdb.conn, "SELECT count(*) FROM tenant_acme.customers") == 0


def test_unregistered_schema_is_logged_without_tenant(zdb: Zplus) -> None:
    zdb.conn.execute("DELETE FROM public.tenant_schemas WHERE schema_name = 'tenant_acme'")
    drain(zdb.conn)
    cid = insert_customer(zdb.conn)
    audit = only(zdb.conn)
    assert (audit.tenant_id, audit.user_type, audit.resource_id) == (None, "tenant", cid)
    assert audit.details["schema"] == "tenant_acme"


# --- secrets -------------------------------------------------------------------------------


def test_password_hash_never_reaches_details(zdb: Zplus) -> None:
    secret = "$2b$12$very-secret-hash"
    uid = insert_user(zdb.conn, "tenant_acme", "a@x.test", secret)
    zdb.conn.execute(
        "UPDATE tenant_acme.users SET password_hash = %s, name = 'V' WHERE id = %s",
        (secret + "2", uid),
    )
    zdb.conn.execute("DELETE FROM tenant_acme.users WHERE id = %s", (uid,))
    audits = drain(zdb.conn)
    assert sorted(a.action for a in audits) == ["DELETE", "INSERT", "UPDATE"]
    for audit in audits:
        text = json.dumps(audit.details)
        assert "password_hash" not in text
        assert secret not in text
        row = audit.details["new"] or audit.details["old"]
        assert row["email"] == "a@x.test"  # the rest of the row is still there


def test_system_user_password_hash_never_reaches_details(zdb: Zplus) -> None:
    zdb.conn.execute(
        "INSERT INTO public.system_users (email, password_hash, name, role)"
        " VALUES ('root@x.test', 'secret-hash', 'Root', 'super_admin')"
    )
    audit = only(zdb.conn)
    assert (audit.resource, audit.user_type, audit.tenant_id) == ("system_users", "system", None)
    assert "password_hash" not in audit.details["new"]
    assert audit.details["new"]["email"] == "root@x.test"


def test_token_hash_never_reaches_details(zdb: Zplus) -> None:
    """No audited Zplus table has token_hash yet; any audited table that gets one is safe."""
    zdb.conn.execute(
        "CREATE TABLE tenant_acme.api_tokens"
        " (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), label text, token_hash text)"
    )
    zdb.conn.execute(
        "CREATE TRIGGER audit_row_change AFTER INSERT OR UPDATE OR DELETE"
        " ON tenant_acme.api_tokens FOR EACH ROW EXECUTE FUNCTION public.audit_row_change()"
    )
    zdb.conn.execute("INSERT INTO tenant_acme.api_tokens (label, token_hash) VALUES ('ci', 'h')")
    zdb.conn.execute("UPDATE tenant_acme.api_tokens SET token_hash = 'h2'")
    for audit in drain(zdb.conn):
        for row in (audit.details["old"], audit.details["new"]):
            assert row is None or set(row) == {"id", "label"}


# --- privileges ----------------------------------------------------------------------------


@pytest.fixture
def app_role(zdb: Zplus) -> Iterator[str]:
    """Yield a login-less role that may write tenant_acme.customers, but not audit_logs."""
    role = f"zt_app_{uuid.uuid4().hex[:12]}"
    ident = sql.Identifier(role)
    try:
        zdb.conn.execute(sql.SQL("CREATE ROLE {}").format(ident))
    except errors.InsufficientPrivilege:
        pytest.skip("the test server user may not create roles")
    zdb.conn.execute(sql.SQL("GRANT USAGE ON SCHEMA tenant_acme TO {}").format(ident))
    zdb.conn.execute(sql.SQL("GRANT INSERT ON tenant_acme.customers TO {}").format(ident))
    try:
        yield role
    finally:
        zdb.conn.execute("RESET ROLE")
        zdb.conn.execute(sql.SQL("DROP OWNED BY {}").format(ident))
        zdb.conn.execute(sql.SQL("DROP ROLE {}").format(ident))


def test_application_role_is_audited_without_audit_log_privileges(
    zdb: Zplus, app_role: str
) -> None:
    """SECURITY DEFINER: the trigger writes the log the writer itself may not touch."""
    zdb.conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(app_role)))
    zdb.conn.execute("INSERT INTO tenant_acme.customers (name) VALUES ('via app')")
    with pytest.raises(errors.InsufficientPrivilege):
        zdb.conn.execute("INSERT INTO public.audit_logs (action) VALUES ('forged')")
    zdb.conn.execute("RESET ROLE")
    audit = only(zdb.conn)
    assert (audit.tenant_id, audit.action, audit.details["new"]["name"]) == (
        zdb.ids["acme"],
        "INSERT",
        "via app",
    )


# --- updated_at ----------------------------------------------------------------------------

OLD_TIME = "2000-06-15T12:00:00+00:00"  # year 2000 in any time zone


def test_update_advances_updated_at(zdb: Zplus) -> None:
    row = zdb.conn.execute(
        "INSERT INTO tenant_acme.customers (name, updated_at) VALUES ('Ann', %s)"
        " RETURNING id, updated_at",
        (OLD_TIME,),
    ).fetchone()
    assert row is not None
    cid, old = row
    zdb.conn.execute("UPDATE tenant_acme.customers SET notes = 'n' WHERE id = %s", (cid,))
    new = scalar(zdb.conn, "SELECT updated_at FROM tenant_acme.customers WHERE id = %s", (cid,))
    assert new > old  # type: ignore[operator]
    # The AFTER audit trigger sees the row as set_updated_at left it.
    update = [a for a in drain(zdb.conn) if a.action == "UPDATE"]
    assert [a.details["old"]["updated_at"][:4] for a in update] == ["2000"]
    assert update[0].details["new"]["updated_at"] != update[0].details["old"]["updated_at"]


def test_update_cannot_back_date_updated_at(zdb: Zplus) -> None:
    cid = insert_customer(zdb.conn)
    zdb.conn.execute(
        "UPDATE tenant_acme.customers SET updated_at = %s WHERE id = %s", (OLD_TIME, cid)
    )
    stored = scalar(
        zdb.conn,
        "SELECT updated_at > %s::timestamptz FROM tenant_acme.customers WHERE id = %s",
        (OLD_TIME, cid),
    )
    assert stored is True


def test_module_table_update_advances_updated_at(zdb: Zplus) -> None:
    row = zdb.conn.execute(
        "INSERT INTO tenant_acme.products (name, price, updated_at) VALUES ('Tea', 2, %s)"
        " RETURNING id",
        (OLD_TIME,),
    ).fetchone()
    assert row is not None
    zdb.conn.execute("UPDATE tenant_acme.products SET price = 3 WHERE id = %s", (row[0],))
    advanced = scalar(
        zdb.conn,
        "SELECT updated_at > %s::timestamptz FROM tenant_acme.products WHERE id = %s",
        (OLD_TIME, row[0]),
    )
    assert advanced is True


# --- system tables -------------------------------------------------------------------------


def test_building_registers_tenants_in_the_log(db_conn: Conn) -> None:
    ids = build_zplus(db_conn, {"acme": [], "beta": []})
    got = sorted((a.resource, a.action, a.tenant_id, a.user_type) for a in drain(db_conn))
    assert got == sorted(
        (table, "INSERT", tid, "system")
        for tid in ids.values()
        for table in ("tenants", "tenant_schemas")
    )


def test_system_table_update_is_audited_as_system(zdb: Zplus) -> None:
    zdb.conn.execute("UPDATE public.tenants SET name = 'Acme Inc' WHERE slug = 'acme'")
    audit = only(zdb.conn)
    assert audit == Audit(
        tenant_id=zdb.ids["acme"],
        user_id=None,
        user_type="system",
        action="UPDATE",
        resource="tenants",
        resource_id=zdb.ids["acme"],
        details=audit.details,
    )
    assert audit.details["schema"] == "public"
    assert (audit.details["old"]["name"], audit.details["new"]["name"]) == ("Acme", "Acme Inc")


def test_system_row_naming_a_tenant_is_audited_for_it(zdb: Zplus) -> None:
    zdb.conn.execute(
        "INSERT INTO public.usage_stats (tenant_id, metric_name, value, date)"
        " VALUES (%s, 'api_requests', 1, current_date)",
        (zdb.ids["beta"],),
    )
    assert drain(zdb.conn) == []  # usage_stats is not audited (high volume)
    module = scalar(
        zdb.conn,
        "INSERT INTO public.modules (name, display_name, version)"
        " VALUES ('crm', 'CRM', '1.0.0') RETURNING id",
    )
    zdb.conn.execute(
        "INSERT INTO public.tenant_modules (tenant_id, module_id) VALUES (%s, %s)",
        (zdb.ids["beta"], module),
    )
    got = [(a.resource, a.tenant_id) for a in drain(zdb.conn)]
    assert sorted(got, key=str) == sorted(
        [("modules", None), ("tenant_modules", zdb.ids["beta"])], key=str
    )


def test_deleting_a_tenant_is_logged_without_dangling_tenant_id(zdb: Zplus) -> None:
    """The tenant row is gone when the AFTER trigger runs; the log keeps its id in details."""
    zdb.conn.execute("DELETE FROM public.tenants WHERE slug = 'acme'")
    got = {(a.resource, a.action, a.tenant_id) for a in drain(zdb.conn)}
    assert got == {("tenants", "DELETE", None), ("tenant_schemas", "DELETE", None)}


# --- property: any sequence of writes is logged one row per changed row ---------------------

TENANTS = ("acme", "beta", "gamma")
TABLES = ("customers", "notifications", "pipeline_stages", "product_categories")
UPDATE_SET = {
    "customers": "notes = 'updated'",
    "notifications": "read_at = now()",
    "pipeline_stages": "position = position + 1",
    "product_categories": "description = 'updated'",
}


@dataclass(frozen=True)
class Write:
    """Insert one row, or update/delete the live rows picked by `mask`, in one statement.

    Bit i of mask picks the i-th live row of the table (in insertion order); -1 picks all.
    """

    kind: str  # "insert" | "update" | "delete"
    tenant: int
    table: str
    mask: int


@dataclass(frozen=True)
class Actor:
    """Set app.user_id for the rest of the transaction ('' or a malformed value: nobody)."""

    value: str


ACTORS = st.one_of(
    st.uuids().map(str), st.sampled_from(["", "not-a-uuid", "00000000-0000-0000-0000"])
)


@dataclass(frozen=True)
class Undone:
    """Run a write in a savepoint that is rolled back: it must leave no audit row."""

    write: Write


@dataclass(frozen=True)
class Scenario:
    """Writes over the first `tenants` tenants (2 or 3), with actor changes between them."""

    tenants: int
    ops: list[Write | Actor | Undone]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """Draw 1..15 ops on 2-3 tenants and 1-4 of TABLES (few tables: ops hit earlier rows)."""
    tenants = draw(st.integers(2, 3))
    tables = draw(st.lists(st.sampled_from(TABLES), min_size=1, max_size=4, unique=True))
    write = st.builds(
        Write,
        kind=st.sampled_from(["insert", "insert", "update", "delete"]),
        tenant=st.integers(0, tenants - 1),
        table=st.sampled_from(tables),
        mask=st.one_of(st.just(-1), st.integers(0, 2**15 - 1)),  # -1: every live row
    )
    ops = draw(st.lists(st.one_of(write, st.builds(Actor, ACTORS), st.builds(Undone, write)),
                        min_size=1, max_size=15))
    return Scenario(tenants, ops)


def as_uuid(value: str) -> str | None:
    """Return value if it is a uuid PostgreSQL accepts, else None (what the trigger does)."""
    try:
        return str(uuid.UUID(value)) if len(value) == 36 else None
    except ValueError:
        return None


def row_values(z: Zplus, slug: str, table: str, step: int) -> dict[str, object]:
    """Return column values for a valid new row of `table` (names unique per step)."""
    if table == "notifications":
        return {"user_id": z.users[slug], "type": "info", "title": "t", "message": f"m{step}"}
    if table == "pipeline_stages":
        return {"name": f"s{step}", "position": step}
    return {"name": f"{table[0]}{step}"}  # customers, product_categories


def insert_row(z: Zplus, slug: str, table: str, step: int) -> str:
    """Insert a valid row into tenant_<slug>.<table> and return its id."""
    values = row_values(z, slug, table, step)
    query = sql.SQL("INSERT INTO {}.{} ({}) VALUES ({}) RETURNING id").format(
        sql.Identifier(f"tenant_{slug}"),
        sql.Identifier(table),
        sql.SQL(", ").join(map(sql.Identifier, values)),
        sql.SQL(", ").join(sql.Placeholder() * len(values)),
    )
    row = z.conn.execute(query, tuple(values.values())).fetchone()
    assert row is not None
    return str(row[0])


def change_rows(z: Zplus, write: Write, slug: str, rows: list[str]) -> None:
    """Update or delete `rows` of tenant_<slug>.<table> in one statement."""
    target = sql.Identifier(f"tenant_{slug}", write.table)
    if write.kind == "update":
        query = sql.SQL("UPDATE {} SET {} WHERE id = ANY(%s::uuid[])").format(
            target, sql.SQL(UPDATE_SET[write.table])
        )
    else:
        query = sql.SQL("DELETE FROM {} WHERE id = ANY(%s::uuid[])").format(target)
    z.conn.execute(query, (rows,))


def audit_key(a: Audit) -> tuple[object, ...]:
    """Return what the property compares of an audit row (ids of old and new included)."""
    old, new = a.details["old"], a.details["new"]
    return (
        a.tenant_id,
        a.user_id,
        a.user_type,
        a.action,
        a.resource,
        a.resource_id,
        a.details["schema"],
        old and old["id"],
        new and new["id"],
    )


def expected_key(
    z: Zplus, slug: str, user: str | None, action: str, table: str, row_id: str
) -> tuple[object, ...]:
    """Return the audit_key the trigger must produce for one changed row."""
    old = None if action == "INSERT" else row_id
    new = None if action == "DELETE" else row_id
    return (
        z.ids[slug],
        user,
        "tenant",
        action,
        table,
        row_id,
        f"tenant_{slug}",
        old,
        new,
    )


def write_rows(z: Zplus, op: Write, step: int, rows: list[str]) -> list[str]:
    """Run one write on `rows` (the live ids of its table); return the ids it changed."""
    slug = TENANTS[op.tenant]
    if op.kind == "insert":
        return [insert_row(z, slug, op.table, step)]
    changed = [r for i, r in enumerate(rows) if op.mask >> i & 1]
    change_rows(z, op, slug, changed)
    return changed


def run_and_check(z: Zplus, scenario: Scenario) -> None:
    """Apply the scenario's ops, checking the log after each one."""
    live: dict[tuple[str, str], list[str]] = {}
    user: str | None = None
    for step, op in enumerate(scenario.ops):
        if isinstance(op, Actor):
            z.conn.execute("SELECT set_config('app.user_id', %s, true)", (op.value,))
            user = as_uuid(op.value)
            assert drain(z.conn) == []
            continue
        if isinstance(op, Undone):
            with z.conn.transaction():  # a savepoint: the outer example transaction goes on
                rows = live.get((TENANTS[op.write.tenant], op.write.table), [])
                write_rows(z, op.write, step, list(rows))
                raise psycopg.Rollback()
            assert drain(z.conn) == [], (step, op)
            continue
        slug = TENANTS[op.tenant]
        rows = live.setdefault((slug, op.table), [])
        changed = write_rows(z, op, step, rows)
        if op.kind == "insert":
            rows.extend(changed)
        elif op.kind == "delete":
            rows[:] = [r for r in rows if r not in changed]
        action = op.kind.upper()
        expected = [expected_key(z, slug, user, action, op.table, r) for r in changed]
        assert sorted(map(audit_key, drain(z.conn)), key=str) == sorted(expected, key=str), (
            step,
            op,
        )


@pytest.fixture
def zdb3(db_conn: Conn) -> Zplus:
    """Build three tenants with all modules, one user each, and an empty log (once)."""
    ids = build_zplus(db_conn, dict.fromkeys(TENANTS))
    z = Zplus(db_conn, ids)
    for slug in TENANTS:
        z.users[slug] = insert_user(db_conn, f"tenant_{slug}", f"{slug}@x.test")
    drain(db_conn)
    return z


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(scenario=scenarios())
def test_any_write_sequence_is_logged_row_by_row(zdb3: Zplus, scenario: Scenario) -> None:
    """200 examples: 1..15 inserts/updates/deletes/actor changes over 2-3 tenants, some of
    the writes inside a savepoint that is rolled back.

    The database is built once (fixture zdb3); each example runs in a transaction that is
    rolled back, so examples are independent. After every statement the log holds exactly
    one row per changed row, with the right tenant, actor, action, table and row id; after
    a rolled-back write it holds none, and no write ever fails because of the trigger.
    """
    with zdb3.conn.transaction(force_rollback=True):
        run_and_check(zdb3, scenario)
    assert scalar(zdb3.conn, "SELECT count(*) FROM public.audit_logs") == 0
