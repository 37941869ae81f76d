"""The objects of one schema, schema-relative, each collection sorted by key."""

from __future__ import annotations

from typing import Any

from pydantic import model_validator

from .base import Node
from .constraint import Check, Constraint, ForeignKey, PrimaryKey, Unique
from .domain import Domain
from .enum import EnumType
from .extension import Extension
from .function import Function
from .index import Index
from .policy import Policy
from .sequence import Sequence
from .table import Table
from .trigger import Trigger
from .view import MaterializedView, View


def _sort_key(obj: Any) -> str:
    key = obj.key
    return "\x00".join(key) if isinstance(key, tuple) else str(key)


class SchemaModel(Node):
    """Every managed object of one schema. The schema's own name is not part of it."""

    extensions: tuple[Extension, ...] = ()
    enums: tuple[EnumType, ...] = ()
    domains: tuple[Domain, ...] = ()
    sequences: tuple[Sequence, ...] = ()
    functions: tuple[Function, ...] = ()
    tables: tuple[Table, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    indexes: tuple[Index, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    views: tuple[View, ...] = ()
    materialized_views: tuple[MaterializedView, ...] = ()
    policies: tuple[Policy, ...] = ()

    @model_validator(mode="after")
    def _sorted(self) -> SchemaModel:
        # Sorted collections make equality and output independent of file order.
        for field in type(self).model_fields:
            items = getattr(self, field)
            ordered = tuple(sorted(items, key=_sort_key))
            if ordered != items:
                object.__setattr__(self, field, ordered)
        return self

    def merge(self, other: SchemaModel) -> SchemaModel:
        """Return the union of two object sets (the caller has checked for clashes)."""
        data = {f: getattr(self, f) + getattr(other, f) for f in type(self).model_fields}
        return SchemaModel(**data)

    def table(self, name: str) -> Table | None:
        """Return the table called `name`, or None."""
        return next((t for t in self.tables if t.name == name), None)

    def constraints_of(self, table: str) -> list[Constraint]:
        """Return the constraints of one table."""
        return [c for c in self.constraints if c.table == table]

    def primary_key(self, table: str) -> PrimaryKey | None:
        """Return the primary key of one table, or None."""
        return next(
            (c for c in self.constraints if c.table == table and isinstance(c, PrimaryKey)),
            None,
        )

    def unique_keys(self, table: str) -> list[tuple[str, ...]]:
        """Return the column lists a foreign key may reference: the PK and unique constraints."""
        keys: list[tuple[str, ...]] = []
        for c in self.constraints:
            if c.table == table and isinstance(c, PrimaryKey | Unique):
                keys.append(c.columns)
        for i in self.indexes:
            if i.table == table and i.unique and i.where is None and len(i.columns) == len(i.keys):
                keys.append(i.columns)
        return keys

    def foreign_keys(self) -> list[ForeignKey]:
        """Return every foreign key."""
        return [c for c in self.constraints if isinstance(c, ForeignKey)]

    def checks(self) -> list[Check]:
        """Return every check constraint."""
        return [c for c in self.constraints if isinstance(c, Check)]
