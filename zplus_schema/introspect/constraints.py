"""Table constraints: primary key, unique, check, foreign key, exclusion (sql/constraints.sql)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg

from ..model import Check, Constraint, Exclusion, ForeignKey, PrimaryKey, Unique
from ..model.constraint import FkAction
from .found import Found, qualname
from .queries import fetch
from .text import relativize

FK_ACTIONS: dict[str, FkAction] = {
    "a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default",
}
# pg_get_constraintdef appends these to every kind; the model keeps them as flags.
_DEFERRAL_SUFFIXES = (" NOT VALID", " INITIALLY DEFERRED", " DEFERRABLE")


@dataclass(frozen=True)
class ConstraintRow:
    """One row of sql/constraints.sql."""

    schema_name: str
    table_name: str
    name: str
    kind: str
    deferrable: bool
    initially_deferred: bool
    columns: list[str]
    ref_schema: str | None
    ref_table: str | None
    ref_columns: list[str]
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


def build_constraint(row: ConstraintRow) -> Constraint:
    """Return the model constraint of one catalog constraint, relative to its schema."""
    own = row.schema_name
    common: dict[str, Any] = {
        "table": row.table_name,
        "name": row.name,
        "deferrable": row.deferrable,
        "initially_deferred": row.initially_deferred,
        "comment": row.comment,
    }
    columns = tuple(row.columns)
    if row.kind == "p":
        return PrimaryKey(columns=columns, **common)
    if row.kind == "u":
        return Unique(columns=columns, nulls_not_distinct=row.nulls_not_distinct, **common)
    if row.kind == "c":
        # columns stay empty: the catalog does not say whether a check was written on a
        # column or on the table, and both create the same constraint.
        assert row.check_expr is not None
        return Check(expression=relativize(row.check_expr, own), no_inherit=row.no_inherit,
                     **common)
    if row.kind == "f":
        assert row.ref_table is not None
        return ForeignKey(
            columns=columns,
            ref_table=qualname(row.ref_schema, row.ref_table, own),
            ref_columns=tuple(row.ref_columns),
            on_update=FK_ACTIONS[row.on_update],
            on_delete=FK_ACTIONS[row.on_delete],
            **common,
        )
    assert row.definition is not None
    return Exclusion(definition=relativize(exclusion_definition(row.definition), own), **common)


def read(conn: psycopg.Connection[Any], schemas: Sequence[str], found: Found) -> None:
    """Read every table constraint of `schemas` into `found`."""
    for row in fetch(conn, "constraints", ConstraintRow, schemas):
        found.add(row.schema_name, "constraints", build_constraint(row))
