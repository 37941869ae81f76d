"""Sequences."""

from __future__ import annotations

from .base import Node


class Sequence(Node):
    """CREATE SEQUENCE; `owned_by` is (table, column) in the same schema."""

    name: str
    type: str = "bigint"
    start: int | None = None
    increment: int = 1
    min_value: int | None = None
    max_value: int | None = None
    cache: int = 1
    cycle: bool = False
    owned_by: tuple[str, str] | None = None
    comment: str | None = None

    @property
    def key(self) -> str:
        """Return the sequence name, unique among relations of a schema."""
        return self.name
