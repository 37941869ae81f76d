"""Enum types."""

from __future__ import annotations

from .base import Node


class EnumType(Node):
    """CREATE TYPE name AS ENUM (values); value order is significant."""

    name: str
    values: tuple[str, ...]
    comment: str | None = None

    @property
    def key(self) -> str:
        """Return the type name, unique among types of a schema."""
        return self.name
