"""Extensions (database-wide objects)."""

from __future__ import annotations

from .base import Node


class Extension(Node):
    """CREATE EXTENSION name [WITH SCHEMA schema] [VERSION version]."""

    name: str
    schema_name: str | None = None
    version: str | None = None

    @property
    def key(self) -> str:
        """Return the extension name, unique in a database."""
        return self.name
