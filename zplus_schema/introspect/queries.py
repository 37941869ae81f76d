"""Load the catalog queries of sql/ and run them with a typed row model."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from typing import Any, TypeVar

import psycopg
from psycopg.rows import class_row

Row = TypeVar("Row")


@cache
def load_query(name: str) -> str:
    """Return the text of sql/<name>.sql (packaged with the module)."""
    return files("zplus_schema.introspect").joinpath("sql", f"{name}.sql").read_text("utf-8")


def fetch(
    conn: psycopg.Connection[Any], name: str, row: type[Row], schemas: Sequence[str]
) -> list[Row]:
    """Run sql/<name>.sql for all `schemas` at once; return its rows as `row` objects."""
    with conn.cursor(row_factory=class_row(row)) as cur:
        cur.execute(load_query(name), {"schemas": list(schemas)})
        return cur.fetchall()
