"""Run migration files the way golang-migrate does: each file as one multi-statement query."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import psycopg
from psycopg import sql

from ..errors import ZplusError

Conn = psycopg.Connection[tuple[object, ...]]


class ReplayError(ZplusError):
    """A migration file failed to apply; the message names the file and PostgreSQL's error."""


def set_search_path(conn: Conn, schema: str) -> None:
    """Point unqualified names at `schema`, as `?search_path=` does on migrate's DSN."""
    conn.execute("SELECT pg_catalog.set_config('search_path', %s, false)",
                 (sql.Identifier(schema).as_string(None),))


def _where(text: str, exc: psycopg.Error) -> str:
    """Return ` (line N)` for the position PostgreSQL reports, or '' without one."""
    position = exc.diag.statement_position
    if not position or not position.isdigit():
        return ""
    return f" (line {text.count(chr(10), 0, int(position) - 1) + 1})"


def run_file(conn: Conn, path: Path) -> None:
    """Run one file as a single simple-protocol query, or raise ReplayError naming it."""
    run_text(conn, path.read_text(encoding="utf-8"), str(path))


def run_text(conn: Conn, text: str, label: str) -> None:
    """Run migration text as one query, or raise ReplayError naming `label`.

    golang-migrate's postgres driver sends the whole file in one Exec, which PostgreSQL runs
    as one implicit transaction: a file applies entirely or not at all, and so here.
    """
    if not text.strip():
        return
    try:
        conn.execute(text.encode())  # bytes: psycopg must not treat % as a placeholder
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ReplayError(f"{label}{_where(text, exc)}: {first}",
                          hint="fix the file (or the statement PostgreSQL rejects), "
                               "then run verify again") from exc


def replay(conn: Conn, files: Iterable[Path], schema: str) -> None:
    """Run `files` in order with search_path set to `schema`."""
    set_search_path(conn, schema)
    for path in files:
        run_file(conn, path)
