"""Load the catalog queries of sql/ and run them with a typed row model."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache
from importlib.resources import files
from typing import Any, TypeVar

import psycopg

Row = TypeVar("Row")


@cache
def load_query(name: str) -> str:
    """Return the text of sql/<name>.sql (packaged with the module)."""
    return files("zplus_schema.introspect").joinpath("sql", f"{name}.sql").read_text("utf-8")


def fetch(
    conn: psycopg.Connection[Any],
    name: str,
    make: Callable[[Iterable[Any]], Row],
    schemas: Sequence[str],
) -> list[Row]:
    """Run sql/<name>.sql for all `schemas` at once; return its rows made by `make`.

    `make` is a NamedTuple's `_make`: one cheap call per row (the catalog queries return
    tens of thousands of rows for a few hundred schemas). Results come in binary format,
    which psycopg loads into the same values faster (arrays above all).
    """
    with conn.cursor(row_factory=lambda _cursor: make, binary=True) as cur:
        cur.execute(load_query(name), {"schemas": list(schemas)})
        return cur.fetchall()
