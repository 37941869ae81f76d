"""Tables and their columns (sql/tables.sql, sql/columns.sql)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg

from ..model import Column, Table
from ..model.column import Identity
from .found import Found
from .queries import fetch
from .text import relativize, relativize_opt

IDENTITY: dict[str, Identity] = {"a": "always", "d": "by default"}


@dataclass(frozen=True)
class TableRow:
    """One row of sql/tables.sql."""

    schema_name: str
    name: str
    rls_enabled: bool
    rls_forced: bool
    partition_by: str | None
    is_partition: bool
    parent_schema: str | None
    parent_name: str | None
    partition_bound: str | None
    comment: str | None


@dataclass(frozen=True)
class ColumnRow:
    """One row of sql/columns.sql."""

    schema_name: str
    table_name: str
    name: str
    type: str
    nullable: bool
    default_expr: str | None
    identity: str
    generated: str
    collation: str | None
    comment: str | None
    is_local: bool


def build_column(row: ColumnRow) -> Column:
    """Return the model Column of a catalog column, relative to its table's schema.

    An identity column's sequence and a generated column's expression are not defaults:
    pg_attrdef holds the generation expression, which becomes `generated`.
    """
    schema = row.schema_name
    expression = relativize_opt(row.default_expr, schema)
    generated = expression if row.generated == "s" else None
    return Column(
        name=row.name,
        type=relativize(row.type, schema),
        nullable=row.nullable,
        default=None if generated is not None or row.identity else expression,
        identity=IDENTITY.get(row.identity),
        generated=generated,
        collation=row.collation,
        comment=row.comment,
    )


def build_table(row: TableRow, columns: list[Column]) -> Table:
    """Return the model Table; a partition's columns come from its parent, so it has none."""
    parent = None
    if row.is_partition and row.parent_name is not None:
        same = row.parent_schema == row.schema_name
        parent = row.parent_name if same else f"{row.parent_schema}.{row.parent_name}"
    return Table(
        name=row.name,
        columns=tuple(columns),
        comment=row.comment,
        rls_enabled=row.rls_enabled,
        rls_forced=row.rls_forced,
        partition_by=relativize_opt(row.partition_by, row.schema_name),
        partition_of=parent,
        partition_bound=relativize_opt(row.partition_bound, row.schema_name)
        if row.is_partition
        else None,
    )


def read(conn: psycopg.Connection[Any], schemas: Sequence[str], found: Found) -> None:
    """Read every table of `schemas` with its columns into `found`."""
    tables = fetch(conn, "tables", TableRow, schemas)
    partitions = {(t.schema_name, t.name) for t in tables if t.is_partition}
    columns: dict[tuple[str, str], list[Column]] = {}
    for col in fetch(conn, "columns", ColumnRow, schemas):
        key = (col.schema_name, col.table_name)
        if key in partitions and not col.is_local:
            continue  # inherited from the parent: PARTITION OF recreates it
        columns.setdefault(key, []).append(build_column(col))
    for t in tables:
        found.add(t.schema_name, "tables", build_table(t, columns.get((t.schema_name, t.name), [])))
