"""Sequences not owned by an identity column (sql/sequences.sql)."""

from __future__ import annotations

from collections.abc import Sequence as Seq
from typing import Any, NamedTuple

import psycopg

from ..model import Sequence
from .found import Found
from .queries import fetch


class SequenceRow(NamedTuple):
    """One row of sql/sequences.sql."""

    schema_name: str
    name: str
    type: str
    start: int
    increment: int
    min_value: int
    max_value: int
    cache: int
    cycle: bool
    table_schema: str | None
    table_name: str | None
    column_name: str | None
    comment: str | None


def build_sequence(row: SequenceRow) -> Sequence:
    """Return the model Sequence with every option explicit, as the catalog stores it.

    owned_by is kept only for a column of the same schema, the only kind the model knows.
    """
    owned_by = None
    if row.table_name and row.column_name and row.table_schema == row.schema_name:
        owned_by = (row.table_name, row.column_name)
    return Sequence(
        name=row.name,
        type=row.type,
        start=row.start,
        increment=row.increment,
        min_value=row.min_value,
        max_value=row.max_value,
        cache=row.cache,
        cycle=row.cycle,
        owned_by=owned_by,
        comment=row.comment,
    )


def read(conn: psycopg.Connection[Any], schemas: Seq[str], found: Found) -> None:
    """Read every free-standing sequence of `schemas` into `found`."""
    for row in fetch(conn, "sequences", SequenceRow._make, schemas):
        found.add(row.schema_name, "sequences", build_sequence(row))
