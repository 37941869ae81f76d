"""Table constraints: primary key, unique, check and foreign key."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .base import Node, QualName

FkAction = Literal["no action", "restrict", "cascade", "set null", "set default"]


class _Constraint(Node):
    table: str
    name: str
    deferrable: bool = False
    initially_deferred: bool = False
    comment: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """Return (table, constraint name): constraint names are per table."""
        return (self.table, self.name)


class PrimaryKey(_Constraint):
    """PRIMARY KEY (columns)."""

    kind: Literal["primary_key"] = "primary_key"
    columns: tuple[str, ...]


class Unique(_Constraint):
    """UNIQUE (columns)."""

    kind: Literal["unique"] = "unique"
    columns: tuple[str, ...]
    nulls_not_distinct: bool = False


class Check(_Constraint):
    """CHECK (expression)."""

    kind: Literal["check"] = "check"
    expression: str
    columns: tuple[str, ...] = ()
    no_inherit: bool = False


class ForeignKey(_Constraint):
    """FOREIGN KEY (columns) REFERENCES ref_table (ref_columns)."""

    kind: Literal["foreign_key"] = "foreign_key"
    columns: tuple[str, ...]
    ref_table: QualName
    ref_columns: tuple[str, ...]
    on_delete: FkAction = "no action"
    on_update: FkAction = "no action"


class Exclusion(_Constraint):
    """EXCLUDE USING method (element WITH operator, ...) [WHERE (predicate)]."""

    kind: Literal["exclusion"] = "exclusion"
    definition: str  # everything after EXCLUDE, as pg_get_constraintdef renders it
    columns: tuple[str, ...] = ()


Constraint = Annotated[
    PrimaryKey | Unique | Check | ForeignKey | Exclusion, Field(discriminator="kind")
]
