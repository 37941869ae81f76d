"""Objects the model cannot represent, reported so nothing is dropped (sql/unmanaged.sql)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import psycopg

from .found import Found
from .queries import fetch


class UnmanagedRow(NamedTuple):
    """One row of sql/unmanaged.sql."""

    schema_name: str
    kind: str
    name: str


def read(conn: psycopg.Connection[Any], schemas: Sequence[str], found: Found) -> None:
    """Report every foreign table, composite/range/base type, aggregate, operator, rule, ..."""
    for row in fetch(conn, "unmanaged", UnmanagedRow._make, schemas):
        found.report(row.schema_name, row.kind, row.name)
