"""The ledger: who applied what, when, to which schema, with what outcome."""

from __future__ import annotations

import functools
import getpass
import socket
from dataclasses import dataclass, fields
from datetime import datetime
from importlib import resources

import psycopg

from .. import __version__

LEDGER_SCHEMA = "zplus_meta"


@functools.cache
def _sql(name: str) -> str:
    return resources.files(__package__).joinpath("sql", name).read_text(encoding="utf-8")


@dataclass
class LedgerEntry:
    """One run on one target."""

    target: str
    schema_name: str
    started_at: datetime
    finished_at: datetime
    duration_ms: int
    plan_hash: str
    fingerprint_before: str
    fingerprint_after: str | None
    outcome: str  # applied | failed | noop
    statements: int
    error: str | None
    sql: str
    os_user: str | None = None
    client_host: str | None = None
    tool_version: str = __version__


def ensure_ledger(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    """Create the ledger schema and table if missing (serialized against other runs)."""
    with conn.transaction():
        conn.execute("SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext(%s))",
                     ("zplus_meta.ledger",))
        conn.execute(_sql("ledger_create.sql"))


def record(conn: psycopg.Connection[tuple[object, ...]], entry: LedgerEntry) -> int:
    """Insert a ledger row in its own transaction; return its id."""
    with conn.transaction():
        row = insert(conn, entry).fetchone()
    assert row is not None
    return int(str(row[0]))


def insert(conn: psycopg.Connection[tuple[object, ...]],
           entry: LedgerEntry) -> psycopg.Cursor[tuple[object, ...]]:
    """Send the INSERT of a ledger row in the caller's transaction; fetch the id later.

    In a pipeline the id can be fetched once the pipeline has synced (after COMMIT), so
    the row costs no round trip of its own.
    """
    entry.os_user = entry.os_user or _os_user()
    entry.client_host = entry.client_host or _host()
    return conn.execute(_sql("ledger_insert.sql"),
                        {f.name: getattr(entry, f.name) for f in fields(entry)})


@functools.cache
def _host() -> str:
    return socket.gethostname()


@functools.cache
def _os_user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None
