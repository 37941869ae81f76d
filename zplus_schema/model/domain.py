"""Domain types."""

from __future__ import annotations

from .base import Node


class Domain(Node):
    """CREATE DOMAIN name AS type [DEFAULT] [NOT NULL] [CONSTRAINT name CHECK (...)]..."""

    name: str
    type: str
    nullable: bool = True
    default: str | None = None
    collation: str | None = None
    checks: tuple[tuple[str, str], ...] = ()  # (constraint name, expression), sorted by name
    comment: str | None = None

    @property
    def key(self) -> str:
        """Return the domain name, unique among types of a schema."""
        return self.name
