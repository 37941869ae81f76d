"""Best-effort access to the caches the tool keeps in zplus_meta.

The caches (fleet states, normalized models) only save work: when their table does not
exist yet, or this role may not read or write it (a read-only role running `drift`), the
caller does the work instead. A broken connection is still an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import psycopg

Conn = psycopg.Connection[tuple[object, ...]]
T = TypeVar("T")


def with_table(conn: Conn, table: str, work: Callable[[], T], default: T) -> T:
    """Return `work()` run in a savepoint when `table` exists and it succeeds, else
    `default` (a missing table, or one this role may not use)."""
    try:
        with conn.transaction():
            row = conn.execute("SELECT pg_catalog.to_regclass(%s) IS NOT NULL",
                               (table,)).fetchone()
            if not row or not row[0]:
                return default
            return work()
    except psycopg.Error:
        if conn.broken:
            raise
        return default
