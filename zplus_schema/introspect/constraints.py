"""Table constraints: primary key, unique, check, foreign key, exclusion (sql/constraints.sql)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import psycopg

from ..model import Check, Constraint, Exclusion, ForeignKey, PrimaryKey, QualName, Unique
from ..model.constraint import FkAction
from .found import Found, other_schema
from .queries import fetch
from .text import relativize_opt

FK_ACTIONS: dict[str, FkAction] = {
    "a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default",
}
# pg_get_constraintdef appends these to every kind; the model keeps them as flags.
_DEFERRAL_SUFFIXES = (" NOT VALID", " INITIALLY DEFERRED", " DEFERRABLE")


class ConstraintRow(NamedTuple):
    """One row of sql/constraints.sql; columns and ref_attnums are attnums."""

    schema_name: str
    table_name: str
    name: str
    kind: str
    deferrable: bool
    initially_deferred: bool
    table_oid: int
    columns: list[int] | None
    ref_schema: str | None
    ref_table: str | None
    ref_oid: int
    ref_attnums: list[int] | None
    ref_columns: list[str] | None
    on_update: str
    on_delete: str
    check_expr: str | None
    no_inherit: bool
    definition: str | None
    nulls_not_distinct: bool
    comment: str | None


class ConstraintSpec(NamedTuple):
    """What a model constraint is built from: a row made relative to its schema.

    ref_schema is None for the constraint's own schema; texts are relativized.
    """

    table_name: str
    name: str
    kind: str
    deferrable: bool
    initially_deferred: bool
    columns: tuple[str, ...]
    ref_schema: str | None
    ref_table: str | None
    ref_columns: tuple[str, ...]
    on_update: str
    on_delete: str
    check_expr: str | None
    no_inherit: bool
    definition: str | None
    nulls_not_distinct: bool
    comment: str | None


def exclusion_definition(definition: str) -> str:
    """Return pg_get_constraintdef of an exclusion without `EXCLUDE ` and deferral words."""
    text = definition.removeprefix("EXCLUDE ")
    for suffix in _DEFERRAL_SUFFIXES:
        text = text.removesuffix(suffix)
    return text


def constraint_spec(row: ConstraintRow, found: Found) -> ConstraintSpec:
    """Return the relative inputs of a catalog constraint's model, its columns named."""
    own = row.schema_name
    columns = found.column_names(row.table_oid, row.columns) if row.columns else ()
    if row.ref_columns is not None:
        ref_columns = tuple(row.ref_columns)
    elif row.ref_attnums:
        ref_columns = found.column_names(row.ref_oid, row.ref_attnums)
    else:
        ref_columns = ()
    definition = None
    if row.definition is not None:
        definition = relativize_opt(exclusion_definition(row.definition), own)
    return ConstraintSpec(
        row.table_name, row.name, row.kind, row.deferrable, row.initially_deferred, columns,
        other_schema(row.ref_schema, own), row.ref_table, ref_columns, row.on_update,
        row.on_delete, relativize_opt(row.check_expr, own), row.no_inherit, definition,
        row.nulls_not_distinct, row.comment,
    )


def build_constraint(spec: ConstraintSpec) -> Constraint:
    """Return the model constraint of one catalog constraint, relative to its schema."""
    common: dict[str, Any] = {
        "table": spec.table_name,
        "name": spec.name,
        "deferrable": spec.deferrable,
        "initially_deferred": spec.initially_deferred,
        "comment": spec.comment,
    }
    if spec.kind == "p":
        return PrimaryKey(columns=spec.columns, **common)
    if spec.kind == "u":
        return Unique(columns=spec.columns, nulls_not_distinct=spec.nulls_not_distinct,
                      **common)
    if spec.kind == "c":
        # columns stay empty: the catalog does not say whether a check was written on a
        # column or on the table, and both create the same constraint.
        assert spec.check_expr is not None
        return Check(expression=spec.check_expr, no_inherit=spec.no_inherit, **common)
    if spec.kind == "f":
        assert spec.ref_table is not None
        return ForeignKey(
            columns=spec.columns,
            ref_table=QualName(schema_name=spec.ref_schema, name=spec.ref_table),
            ref_columns=spec.ref_columns,
            on_update=FK_ACTIONS[spec.on_update],
            on_delete=FK_ACTIONS[spec.on_delete],
            **common,
        )
    assert spec.definition is not None
    return Exclusion(definition=spec.definition, **common)


def read(conn: psycopg.Connection[Any], schemas: Sequence[str], found: Found) -> None:
    """Read every table constraint of `schemas` into `found` (after tables: attnames).

    Equal constraints (the same definitions in several schemas) are built once.
    """
    shared: dict[ConstraintSpec, Constraint] = {}
    for row in fetch(conn, "constraints", ConstraintRow._make, schemas):
        spec = constraint_spec(row, found)
        constraint = shared.get(spec)
        if constraint is None:
            constraint = shared[spec] = build_constraint(spec)
        found.add(row.schema_name, "constraints", constraint)
