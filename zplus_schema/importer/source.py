"""Where an import reads from: a live database, or an SQL script on a throwaway server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from ..errors import ZplusError
from ..server import ThrowawayServer

Conn = psycopg.Connection[tuple[object, ...]]


def read_script(path: Path) -> str:
    """Return the text of an SQL script, or one clear line saying why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ZplusError(f"cannot read SQL script {path}: {exc}") from exc


def run_script(conn: Conn, script: str, path: Path) -> None:
    """Run a whole script in one go; raise one clear line when a statement fails."""
    try:
        with conn.transaction():
            conn.execute(script.encode())  # bytes: sent as is, `%` is not a placeholder
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ZplusError(f"SQL script {path} fails on a fresh PostgreSQL: {first}",
                         hint="the script must run with plain SQL (no psql backslash "
                              "commands), on an empty database") from exc


@contextmanager
def script_database(path: Path) -> Iterator[Conn]:
    """Yield a connection to a throwaway server on which the script at `path` has run."""
    script = read_script(path)
    with ThrowawayServer(fast=True) as server, psycopg.connect(
            server.dsn(), autocommit=True) as conn:
        run_script(conn, script, path)
        yield conn
