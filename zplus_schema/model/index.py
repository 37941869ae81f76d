"""Indexes (those not backing a constraint)."""

from __future__ import annotations

from typing import Literal

from .base import Node


class IndexKey(Node):
    """One key of an index: a column or an expression, with its ordering options."""

    column: str | None = None
    expression: str | None = None
    order: Literal["asc", "desc"] | None = None
    nulls: Literal["first", "last"] | None = None
    opclass: str | None = None
    collation: str | None = None


class Index(Node):
    """CREATE [UNIQUE] INDEX name ON table USING method (keys) INCLUDE (...) WHERE ..."""

    name: str
    table: str
    keys: tuple[IndexKey, ...]
    unique: bool = False
    method: str = "btree"
    include: tuple[str, ...] = ()
    where: str | None = None
    nulls_not_distinct: bool = False
    comment: str | None = None

    @property
    def key(self) -> str:
        """Return the index name, unique among relations of a schema."""
        return self.name

    @property
    def columns(self) -> tuple[str, ...]:
        """Return the plain column keys (expression keys are skipped)."""
        return tuple(k.column for k in self.keys if k.column is not None)
