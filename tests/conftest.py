"""Shared fixtures: a real PostgreSQL server per session and a fresh database per test."""

from __future__ import annotations

import os
from collections.abc import Iterator

import psycopg
import pytest

from zplus_schema.server import VERSION_ENV

try:  # `tests/` on sys.path (pytest's default rootdir handling) ...
    from pgharness import PgServer, create_database, drop_database, start_server
except ImportError:  # ... or the repo root, should tests/ become a package
    from tests.pgharness import PgServer, create_database, drop_database, start_server

_DB_FIXTURES = {"pg_server", "pg_server_dsn", "pg_version", "db_dsn", "db_conn"}
# Description of the session server, for the closing report (unset if no test needed one).
_session_server: list[str] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests using a database fixture with `db`, so `-m "not db"` skips them."""
    for item in items:
        if _DB_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


def pytest_report_header() -> str:
    """Show which PostgreSQL the env asks for, at the top of the run."""
    requested = os.environ.get(VERSION_ENV, "").strip() or "unset (first found)"
    return f"zplus: {VERSION_ENV}={requested}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Name the server the session really ran against, so CI logs show the version tested."""
    for line in _session_server:
        terminalreporter.write_line(f"zplus: session server was {line}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """Yield the session's server (ZPLUS_TEST_DSN, Docker, or a throwaway local cluster)."""
    server = start_server()
    _session_server.append(server.describe())
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def pg_server_dsn(pg_server: PgServer) -> str:
    """Return the DSN of the session server's maintenance database `postgres`."""
    return pg_server.dsn


@pytest.fixture(scope="session")
def pg_version(pg_server: PgServer) -> int:
    """Return the session server's major version, e.g. 15."""
    return pg_server.version


@pytest.fixture
def db_dsn(pg_server: PgServer) -> Iterator[str]:
    """Yield the DSN of a new empty database `zt_<hex>`, dropped (WITH FORCE) afterwards."""
    name, dsn = create_database(pg_server)
    try:
        yield dsn
    finally:
        drop_database(pg_server, name)


@pytest.fixture
def db_conn(db_dsn: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """Yield an autocommit connection to db_dsn, closed afterwards."""
    conn = psycopg.connect(db_dsn, autocommit=True)
    try:
        yield conn
    finally:
        conn.close()
