"""Helpers for fleet tests: a copy of the Zplus project, registered tenants, CLI runs."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
from psycopg import sql

from tests.zplus import REPO, system_sql, tenant_sql, zplus

Conn = psycopg.Connection[tuple[object, ...]]

# The benchmark's change too: "add a column and an index to customers".
CUSTOMER_INDEXES = "    indexes:\n      idx_customers_email:       {columns: [email]}\n"
CUSTOMER_CHANGE = ("    indexes:\n      idx_customers_loyalty_tier: {columns: [loyalty_tier]}\n"
                   "      idx_customers_email:       {columns: [email]}\n")
CUSTOMER_COLUMN = "      created_at:      {type: timestamptz, nullable: false, default: now()}\n"


def project_copy(root: Path, *, change: bool = False) -> Path:
    """Copy the repository's Zplus project to `root`; with `change`, add the new column."""
    shutil.copytree(REPO / "schema", root / "schema")
    shutil.copytree(REPO / "policies", root / "policies")
    if change:
        add_customer_column(root)
    return root


def add_customer_column(root: Path) -> None:
    """Add customers.loyalty_tier and an index on it to the project under `root`."""
    path = root / "schema" / "tenant" / "customers.yaml"
    text = path.read_text(encoding="utf-8")
    assert CUSTOMER_INDEXES in text and CUSTOMER_COLUMN in text
    text = text.replace(CUSTOMER_INDEXES, CUSTOMER_CHANGE, 1)
    text = text.replace(CUSTOMER_COLUMN, CUSTOMER_COLUMN + "      loyalty_tier:    varchar(20)\n",
                        1)
    path.write_text(text, encoding="utf-8")


ACTIVITY_COLUMN = "      completed_at: timestamptz\n"


def add_activity_column(root: Path) -> None:
    """Add customer_activities.outcome_note, a second table the change touches."""
    path = root / "schema" / "tenant" / "customers.yaml"
    text = path.read_text(encoding="utf-8")
    assert ACTIVITY_COLUMN in text
    path.write_text(text.replace(ACTIVITY_COLUMN, ACTIVITY_COLUMN
                                 + "      outcome_note: text\n", 1), encoding="utf-8")


def fleet_backends(conn: Conn) -> list[tuple[str, str]]:
    """Return (wait_event_type, wait_event) of every fleet session on the server."""
    rows = conn.execute("SELECT coalesce(wait_event_type, ''), coalesce(wait_event, '') "
                        "FROM pg_catalog.pg_stat_activity WHERE application_name = %s",
                        ("zplus-schema fleet",)).fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


def wait_until(check: Callable[[], bool], what: str, limit: float = 120.0) -> None:
    """Poll `check` until it holds; fail naming `what` after `limit` seconds (a hang)."""
    deadline = time.monotonic() + limit
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting: {what}")
        time.sleep(0.1)


def prepare_server(conn: Conn) -> None:
    """Create the Zplus system schema (tenant schemas use its functions and tables)."""
    conn.execute(system_sql())


def register(conn: Conn, slug: str, modules: list[str], *, server: str = "localhost",
             schema_conn: Conn | None = None, create: bool = True) -> str:
    """Register a tenant the way sandbox.py does and create its schema (on `schema_conn`).

    Returns the schema name. `conn` holds the registry; the schema is built from the
    compiled definitions on `schema_conn` (default: the registry's server), unless
    `create` is False (a tenant registered before its schema exists).
    """
    project = zplus().project
    schema = project.settings.tenant_schema_prefix + slug
    if create:
        (schema_conn or conn).execute(tenant_sql(schema, modules))
    ident = sql.Identifier(project.settings.system_schema)
    row = conn.execute(sql.SQL("INSERT INTO {}.tenants (slug, name) VALUES (%s, %s) "
                               "RETURNING id").format(ident), (slug, slug.title())).fetchone()
    assert row is not None
    conn.execute(sql.SQL("INSERT INTO {}.tenant_schemas (tenant_id, schema_name, database_host,"
                         " database_name) VALUES (%s, %s, %s, current_database())").format(ident),
                 (row[0], schema, server))
    for name in modules:
        module = project.module(name)
        conn.execute(sql.SQL(
            "INSERT INTO {s}.modules (name, display_name, version) VALUES (%s, %s, %s) "
            "ON CONFLICT (name) DO NOTHING").format(s=ident),
            (name, module.display_name if module else name,
             module.version if module and module.version else "0"))
        conn.execute(sql.SQL("INSERT INTO {s}.tenant_modules (tenant_id, module_id) "
                             "SELECT %s, id FROM {s}.modules WHERE name = %s").format(s=ident),
                     (row[0], name))
    return schema


def applied_counts(conn: Conn) -> dict[str, int]:
    """Return schema -> number of `applied` ledger rows (none when there is no ledger)."""
    try:
        rows = conn.execute("SELECT schema_name, count(*) FROM zplus_meta.ledger "
                            "WHERE outcome = 'applied' GROUP BY schema_name").fetchall()
    except psycopg.errors.UndefinedTable:
        return {}
    return {str(r[0]): int(str(r[1])) for r in rows}


def has_column(conn: Conn, schema: str, table: str, column: str) -> bool:
    """Return True when the column exists."""
    row = conn.execute("SELECT 1 FROM information_schema.columns WHERE table_schema = %s "
                       "AND table_name = %s AND column_name = %s",
                       (schema, table, column)).fetchone()
    return row is not None


def cli_process(root: Path, dsn: str, *argv: str) -> subprocess.Popen[str]:
    """Start `zplus-schema ARGV` as a separate process (to kill it, or to race it)."""
    env = dict(os.environ, ZPLUS_DSN=dsn, PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, "-m", "zplus_schema.cli", *argv, "--root",
                             str(root)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint)


def _default_sigint() -> None:
    """Give the child the default SIGINT, as a terminal would.

    A suite started in the background (`bash .ci/run &`, nohup) runs with SIGINT ignored,
    children inherit that, and Python then installs no KeyboardInterrupt handler: the
    Ctrl-C test would wait for a signal that never arrives.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
