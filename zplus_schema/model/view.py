"""Views and materialized views."""

from __future__ import annotations

from .base import Node


class View(Node):
    """CREATE VIEW name [WITH (options)] AS query."""

    name: str
    query: str
    options: tuple[tuple[str, str], ...] = ()  # e.g. (("security_barrier", "true"),)
    comment: str | None = None

    @property
    def key(self) -> str:
        """Return the view name, unique among relations of a schema."""
        return self.name


class MaterializedView(Node):
    """CREATE MATERIALIZED VIEW name AS query [WITH [NO] DATA]."""

    name: str
    query: str
    comment: str | None = None

    @property
    def key(self) -> str:
        """Return the view name, unique among relations of a schema."""
        return self.name
