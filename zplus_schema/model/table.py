"""Tables. Constraints, indexes and triggers are separate objects keyed by table."""

from __future__ import annotations

from .base import Node
from .column import Column


class Table(Node):
    """A table and its ordered columns."""

    name: str
    columns: tuple[Column, ...] = ()
    comment: str | None = None
    rls_enabled: bool = False
    rls_forced: bool = False
    partition_by: str | None = None  # e.g. "RANGE (created_at)"
    partition_of: str | None = None  # parent table in the same schema
    partition_bound: str | None = None  # e.g. "FOR VALUES FROM ('2024-01-01') TO (...)"

    @property
    def key(self) -> str:
        """Return the table's name, unique among relations of a schema."""
        return self.name

    def column(self, name: str) -> Column | None:
        """Return the column called `name`, or None."""
        return next((c for c in self.columns if c.name == name), None)

    @property
    def column_names(self) -> tuple[str, ...]:
        """Return the column names in table order."""
        return tuple(c.name for c in self.columns)
