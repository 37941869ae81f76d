"""Tenant isolation and least privilege, as properties, on a real server.

One database per module: the system schema and four tenant schemas with different module
sets, built by the engine from the repository's definitions (schema/ and policies/), the
tenants registered as the platform does. Every example then works through the
application's own path: a connection as `zplus_app` that acts for tenant A with
`SET ROLE tenant_a` and `set_config('app.tenant_id', A's id)`, writes random rows for
2-4 tenants, checks, and rolls everything back, so examples are independent.

Example counts (settings(max_examples=...): 100 per property, 150
for least privilege) are stated on each property; each takes a few
seconds here (budget: under 60 s). Strategies draw tenant slugs and small row lists, so a
failure shrinks to e.g. `tenants=['a', 'b'], names=['0']`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from psycopg import errors, sql

from tests.pgharness import PgServer, create_database, drop_database
from tests.zplus import REPO
from zplus_schema.apply import ApplyOptions, apply_plan
from zplus_schema.live.planner import PlanRequest, make_plan
from zplus_schema.load import load
from zplus_schema.plan import Hazard

Conn = psycopg.Connection[tuple[object, ...]]
# Slug -> modules: the four tenants differ, so a tenant may lack tables another has.
TENANTS: dict[str, list[str]] = {"a": ["crm", "lms", "pos", "hrm", "checkin"], "b": ["crm"],
                                 "c": [], "d": ["pos", "lms"]}
SHARED = ("tenants", "tenant_schemas", "tenant_modules", "usage_stats", "audit_logs",
          "subscriptions")


@dataclass(repr=False)
class Built:
    """The module's database: DSN, tenant ids by slug, tables of each tenant schema."""

    dsn: str
    ids: dict[str, str]
    tables: dict[str, list[str]]

    def __repr__(self) -> str:
        # Hypothesis prints the arguments of a failing example: keep this one short.
        return f"Built(tenants={sorted(self.ids)})"


def _apply(dsn: str, target: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        plan = make_plan(conn, load(REPO), PlanRequest((target,)))
    opts = ApplyOptions(allow=frozenset({Hazard.CHANGES_AUTHORIZATION}))
    for result in apply_plan(lambda: psycopg.connect(dsn, autocommit=True), plan, opts):
        assert result.outcome in ("applied", "noop"), result.error


def _register(conn: Conn) -> dict[str, str]:
    """Register the tenants and their modules as the platform does (as the owner)."""
    ids: dict[str, str] = {}
    for name in ("crm", "lms", "pos", "hrm", "checkin"):
        conn.execute("INSERT INTO public.modules (name, display_name, version)"
                     " VALUES (%s, %s, '1.0')", (name, name.upper()))
    for slug, modules in TENANTS.items():
        row = conn.execute("INSERT INTO public.tenants (slug, name) VALUES (%s, %s)"
                           " RETURNING id::text", (slug, slug.upper())).fetchone()
        assert row is not None
        ids[slug] = str(row[0])
        conn.execute("INSERT INTO public.tenant_schemas (tenant_id, schema_name, database_name)"
                     " VALUES (%s, %s, current_database())", (row[0], f"tenant_{slug}"))
        conn.execute("INSERT INTO public.tenant_modules (tenant_id, module_id)"
                     " SELECT %s, id FROM public.modules WHERE name = ANY(%s)",
                     (row[0], modules))
    return ids


@pytest.fixture(scope="module")
def built(pg_server: PgServer) -> Iterator[Built]:
    """Build system + four tenants through plan/apply; drop the database afterwards."""
    name, dsn = create_database(pg_server)
    try:
        _apply(dsn, "system")
        with psycopg.connect(dsn, autocommit=True) as conn:
            ids = _register(conn)
        for slug in TENANTS:
            _apply(dsn, f"tenant:{slug}")  # modules from the registry
        with psycopg.connect(dsn, autocommit=True) as conn:
            tables = {slug: [str(r[0]) for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1",
                (f"tenant_{slug}",)).fetchall()] for slug in TENANTS}
        yield Built(dsn, ids, tables)
    finally:
        drop_database(pg_server, name)


@pytest.fixture(scope="module")
def app(built: Built) -> Iterator[Conn]:
    """Yield a connection logged in as the application role zplus_app."""
    conn = psycopg.connect(psycopg.conninfo.make_conninfo(built.dsn, user="zplus_app"),
                           autocommit=True)
    try:
        yield conn
    finally:
        conn.close()


def act_as(conn: Conn, slug: str, tenant_id: str | None) -> None:
    """Act for a tenant as the application does: its role, and its id in app.tenant_id."""
    conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(f"tenant_{slug}")))
    conn.execute("SELECT set_config('app.tenant_id', %s, false)", (tenant_id or "",))


def denied(conn: Conn, query: sql.Composable | str, params: tuple[object, ...] = ()) -> None:
    """Require `query` to fail with permission denied (or an RLS WITH CHECK violation)."""
    with pytest.raises(errors.InsufficientPrivilege), conn.transaction():
        conn.execute(query, params)


def count(conn: Conn, query: sql.Composable | str, params: tuple[object, ...] = ()) -> int:
    """Return the first column of the first row as an int."""
    row = conn.execute(query, params).fetchone()
    assert row is not None
    return int(str(row[0]))


def q(schema: str, table: str) -> sql.Composed:
    """Return schema.table as a quoted identifier pair."""
    return sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(table))


# --- strategies -----------------------------------------------------------------------------

tenant_sets = st.lists(st.sampled_from(sorted(TENANTS)), min_size=2, max_size=4, unique=True)
names = st.lists(st.text("abcdefghij0123456789", min_size=1, max_size=8), max_size=4)
metrics = st.lists(st.tuples(st.sampled_from(["api_requests", "storage_used", "active_users"]),
                             st.integers(1, 28), st.integers(0, 10**6)),
                   max_size=4, unique_by=lambda m: (m[0], m[1]))


def _write_rows(conn: Conn, built: Built, slug: str, customer_names: list[str],
                usage: list[tuple[str, int, int]]) -> None:
    """Write a tenant's rows as that tenant: customers in its schema, usage in public."""
    act_as(conn, slug, built.ids[slug])
    for n in customer_names:
        conn.execute(sql.SQL("INSERT INTO {} (name) VALUES (%s)").format(
            q(f"tenant_{slug}", "customers")), (n,))
    for metric, day, value in usage:
        conn.execute("INSERT INTO public.usage_stats (tenant_id, metric_name, value, date)"
                     " VALUES (%s, %s, %s, make_date(2026, 1, %s))",
                     (built.ids[slug], metric, value, day))
    conn.execute("RESET ROLE")


# --- properties -----------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(tenants=tenant_sets, rows=st.lists(names, min_size=4, max_size=4), data=st.data())
def test_a_tenant_reaches_its_own_schema_only(app: Conn, built: Built, tenants: list[str],
                                              rows: list[list[str]], data: st.DataObject
                                              ) -> None:
    """100 examples: A reads and writes its own rows; every statement on B's schema fails."""
    with app.transaction(force_rollback=True):
        for slug, customer_names in zip(tenants, rows, strict=False):
            _write_rows(app, built, slug, customer_names, [])
        a, others = tenants[0], tenants[1:]
        act_as(app, a, built.ids[a])
        own = q(f"tenant_{a}", "customers")
        mine = len(rows[0])
        assert count(app, sql.SQL("SELECT count(*) FROM {}").format(own)) == mine
        assert app.execute(sql.SQL("UPDATE {} SET notes = 'x'").format(own)).rowcount == mine
        for b in others:
            table = data.draw(st.sampled_from(built.tables[b]), label=f"table of {b}")
            denied(app, sql.SQL("SELECT * FROM {}").format(q(f"tenant_{b}", table)))
            theirs = q(f"tenant_{b}", "customers")
            denied(app, sql.SQL("INSERT INTO {} (name) VALUES ('x')").format(theirs))
            denied(app, sql.SQL("UPDATE {} SET name = 'x'").format(theirs))
            denied(app, sql.SQL("DELETE FROM {}").format(theirs))
        assert app.execute(sql.SQL("DELETE FROM {}").format(own)).rowcount == mine
        app.execute("RESET ROLE")


@settings(max_examples=100, deadline=None)
@given(tenants=tenant_sets, usage=st.lists(metrics, min_size=4, max_size=4),
       rows=st.lists(names, min_size=4, max_size=4))
def test_a_tenant_sees_only_its_own_rows_of_shared_tables(
        app: Conn, built: Built, tenants: list[str], usage: list[list[tuple[str, int, int]]],
        rows: list[list[str]]) -> None:
    """100 examples: in every shared table A sees its own rows (usage, audit, registry) only."""
    with app.transaction(force_rollback=True):
        for slug, u, r in zip(tenants, usage, rows, strict=False):
            _write_rows(app, built, slug, r, u)
        a = tenants[0]
        act_as(app, a, built.ids[a])
        for table in SHARED:
            column = "id" if table == "tenants" else "tenant_id"
            seen = app.execute(sql.SQL("SELECT DISTINCT {}::text FROM {}").format(
                sql.Identifier(column), q("public", table))).fetchall()
            assert {r[0] for r in seen} <= {built.ids[a]}, table
        assert count(app, "SELECT count(*) FROM public.usage_stats") == len(usage[0])
        audited = count(app, "SELECT count(*) FROM public.audit_logs"
                             " WHERE resource = 'customers'")
        assert audited == len(rows[0])  # the audit trigger logged A's writes for A
        app.execute("RESET ROLE")


@settings(max_examples=100, deadline=None)
@given(tenants=tenant_sets, usage=metrics.filter(bool))
def test_a_tenant_cannot_write_rows_for_another_tenant(
        app: Conn, built: Built, tenants: list[str], usage: list[tuple[str, int, int]]) -> None:
    """100 examples: WITH CHECK refuses a shared row carrying B's tenant_id (or none)."""
    a, b = tenants[0], tenants[1]
    with app.transaction(force_rollback=True):
        act_as(app, a, built.ids[a])
        for metric, day, value in usage:
            for other in (built.ids[b], None):
                denied(app, "INSERT INTO public.usage_stats (tenant_id, metric_name, value,"
                            " date) VALUES (%s, %s, %s, make_date(2026, 1, %s))",
                       (other, metric, value, day))
        app.execute("RESET ROLE")


@settings(max_examples=100, deadline=None)
@given(tenants=tenant_sets, usage=st.lists(metrics, min_size=4, max_size=4))
def test_a_tenant_role_cannot_borrow_another_tenants_id(
        app: Conn, built: Built, tenants: list[str], usage: list[list[tuple[str, int, int]]]
        ) -> None:
    """100 examples: acting as A's role with app.tenant_id = B's id shows and writes nothing.

    The setting is the application's word; the role is the boundary: current_tenant_id()
    is NULL when the role is another registered tenant's.
    """
    a, b = tenants[0], tenants[1]
    with app.transaction(force_rollback=True):
        for slug, u in zip(tenants, usage, strict=False):
            _write_rows(app, built, slug, [], u)
        act_as(app, a, built.ids[b])
        for table in SHARED:
            assert count(app, sql.SQL("SELECT count(*) FROM {}").format(
                q("public", table))) == 0, table
        denied(app, "INSERT INTO public.usage_stats (tenant_id, metric_name, value, date)"
                    " VALUES (%s, 'x', 1, current_date)", (built.ids[b],))
        app.execute("RESET ROLE")


settings_values = st.one_of(st.none(), st.just(""), st.uuids().map(str),
                            st.text(max_size=12), st.sampled_from(["a", "not-a-uuid"]))


@settings(max_examples=100, deadline=None)
@given(tenants=tenant_sets, usage=st.lists(metrics, min_size=4, max_size=4),
       value=settings_values)
def test_without_a_valid_tenant_setting_no_tenant_rows_are_seen(
        app: Conn, built: Built, tenants: list[str], usage: list[list[tuple[str, int, int]]],
        value: str | None) -> None:
    """100 examples: unset, empty, malformed or unknown app.tenant_id: no rows, no error."""
    with app.transaction(force_rollback=True):
        for slug, u in zip(tenants, usage, strict=False):
            _write_rows(app, built, slug, [], u)
        act_as(app, tenants[0], None)
        if value is None:
            app.execute("RESET app.tenant_id")
        else:
            app.execute("SELECT set_config('app.tenant_id', %s, false)", (value,))
        for table in SHARED:
            assert count(app, sql.SQL("SELECT count(*) FROM {}").format(
                q("public", table))) == 0, table
        app.execute("RESET ROLE")


# Statements no application session may run, as itself or acting for a tenant.
FORBIDDEN = [
    "CREATE TABLE {own}.sneaky (id int)",
    "CREATE TABLE public.sneaky (id int)",
    "CREATE SCHEMA sneaky",
    "ALTER TABLE {own}.customers ADD COLUMN sneaky int",
    "DROP TABLE {own}.customers",
    "TRUNCATE {own}.customers",
    "CREATE INDEX sneaky ON {own}.customers (name)",
    "CREATE FUNCTION {own}.sneaky() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "ALTER TABLE public.usage_stats DISABLE ROW LEVEL SECURITY",
    "ALTER TABLE public.usage_stats NO FORCE ROW LEVEL SECURITY",
    "DROP POLICY tenant_isolation ON public.usage_stats",
    "SELECT password_hash FROM public.system_users",
    "SELECT token_hash FROM public.system_sessions",
    "SELECT password_hash FROM {own}.users",
    "SELECT * FROM public.payments",
    "SET ROLE analytics_user",
]


@settings(max_examples=150, deadline=None)
@given(statement=st.sampled_from(FORBIDDEN), slug=st.sampled_from(sorted(TENANTS)),
       as_tenant=st.booleans())
def test_application_sessions_hold_least_privilege(app: Conn, built: Built, statement: str,
                                                   slug: str, as_tenant: bool) -> None:
    """150 examples: no DDL, no RLS switch-off, no secret columns, no other roles.

    `users.password_hash` is readable by the tenant itself (its own login data) but not by
    zplus_app on its own; every other statement fails for both.
    """
    query = statement.format(own=f"tenant_{slug}")
    own_secret = "password_hash FROM tenant_" in query
    with app.transaction(force_rollback=True):
        if as_tenant:
            act_as(app, slug, built.ids[slug])
        if own_secret and as_tenant:
            app.execute(query)
        else:
            with pytest.raises(errors.InsufficientPrivilege), app.transaction():
                app.execute(query)
        app.execute("RESET ROLE")
