"""Tables and their columns (sql/tables.sql, sql/columns.sql)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import psycopg

from ..model import Column, Table
from ..model.column import Identity
from .found import Found
from .queries import fetch
from .text import relativize, relativize_opt

IDENTITY: dict[str, Identity] = {"a": "always", "d": "by default"}


class TableRow(NamedTuple):
    """One row of sql/tables.sql."""

    schema_name: str
    name: str
    oid: int
    rls_enabled: bool
    rls_forced: bool
    partition_by: str | None
    is_partition: bool
    parent_schema: str | None
    parent_name: str | None
    partition_bound: str | None
    comment: str | None


class ColumnRow(NamedTuple):
    """One row of sql/columns.sql."""

    schema_name: str
    is_matview: bool
    table_oid: int
    attnum: int
    name: str
    type: str
    nullable: bool
    default_expr: str | None
    identity: str
    generated: str
    collation: str | None
    comment: str | None
    is_local: bool


class ColumnSpec(NamedTuple):
    """What a model Column is built from: a column row made relative to its schema."""

    name: str
    type: str
    nullable: bool
    default_expr: str | None
    identity: str
    generated: str
    collation: str | None
    comment: str | None


class TableSpec(NamedTuple):
    """What a model Table is built from; columns by identity (they are shared objects)."""

    name: str
    rls_enabled: bool
    rls_forced: bool
    partition_by: str | None
    partition_of: str | None
    partition_bound: str | None
    comment: str | None
    column_ids: tuple[int, ...]


def column_spec(row: ColumnRow) -> ColumnSpec:
    """Return the relative inputs of a catalog column's model."""
    own = row.schema_name
    return ColumnSpec(
        row.name, relativize(row.type, own), row.nullable, relativize_opt(row.default_expr, own),
        row.identity, row.generated, row.collation, row.comment,
    )


def build_column(spec: ColumnSpec) -> Column:
    """Return the model Column of a catalog column, relative to its table's schema.

    An identity column's sequence and a generated column's expression are not defaults:
    pg_attrdef holds the generation expression, which becomes `generated`.
    """
    expression = spec.default_expr
    generated = expression if spec.generated == "s" else None
    return Column(
        name=spec.name,
        type=spec.type,
        nullable=spec.nullable,
        default=None if generated is not None or spec.identity else expression,
        identity=IDENTITY.get(spec.identity),
        generated=generated,
        collation=spec.collation,
        comment=spec.comment,
    )


def table_spec(row: TableRow, columns: Sequence[Column]) -> TableSpec:
    """Return the relative inputs of a catalog table's model.

    A partition's columns come from its parent, so it has none; its parent is named
    relative to the partition's schema.
    """
    own = row.schema_name
    parent = None
    if row.is_partition and row.parent_name is not None:
        same = row.parent_schema == own
        parent = row.parent_name if same else f"{row.parent_schema}.{row.parent_name}"
    bound = relativize_opt(row.partition_bound, own) if row.is_partition else None
    return TableSpec(
        row.name, row.rls_enabled, row.rls_forced, relativize_opt(row.partition_by, own),
        parent, bound, row.comment, tuple(map(id, columns)),
    )


def build_table(spec: TableSpec, columns: Sequence[Column]) -> Table:
    """Return the model Table of `spec` with `columns` (those spec.column_ids names)."""
    return Table(
        name=spec.name,
        columns=tuple(columns),
        comment=spec.comment,
        rls_enabled=spec.rls_enabled,
        rls_forced=spec.rls_forced,
        partition_by=spec.partition_by,
        partition_of=spec.partition_of,
        partition_bound=spec.partition_bound,
    )


def read(conn: psycopg.Connection[Any], schemas: Sequence[str], found: Found) -> None:
    """Read every table of `schemas` with its columns into `found`.

    Also records every column name by table oid and attnum in found.attnames. Equal
    columns and tables (the same definitions in several schemas) are built once.
    """
    tables = fetch(conn, "tables", TableRow._make, schemas)
    partitions = {t.oid for t in tables if t.is_partition}
    columns: dict[int, list[Column]] = {}
    shared_columns: dict[ColumnSpec, Column] = {}
    relid, inherits = 0, False
    names: dict[int, str] = {}
    own_columns: list[Column] = []
    for col in fetch(conn, "columns", ColumnRow._make, schemas):
        if col.table_oid != relid:  # rows come grouped by table, in attnum order
            relid, inherits = col.table_oid, col.table_oid in partitions
            names = found.attnames[relid] = {}
            own_columns = columns[relid] = []
        names[col.attnum] = col.name
        if col.is_matview or (inherits and not col.is_local):
            continue  # a view's; or inherited from the parent: PARTITION OF recreates it
        spec = column_spec(col)
        column = shared_columns.get(spec)
        if column is None:
            column = shared_columns[spec] = build_column(spec)
        own_columns.append(column)
    shared_tables: dict[TableSpec, Table] = {}
    for t in tables:
        table_columns = columns.get(t.oid, [])
        table_key = table_spec(t, table_columns)
        table = shared_tables.get(table_key)
        if table is None:
            table = shared_tables[table_key] = build_table(table_key, table_columns)
        found.add(t.schema_name, "tables", table)
