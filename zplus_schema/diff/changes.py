"""Typed changes between two models of one schema. A drop keeps the old object."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model.base import Node


def key_text(obj: Node) -> str:
    """Return an object's key as text: `name` or `table.name`."""
    key: Any = getattr(obj, "key")  # noqa: B009 - every model object defines key
    return ".".join(key) if isinstance(key, tuple) else str(key)


@dataclass(frozen=True)
class Change:
    """A difference in one object of a collection (tables, indexes, ...)."""

    collection: str

    @property
    def key(self) -> str:
        """Return the key of the object the change is about."""
        raise NotImplementedError


@dataclass(frozen=True)
class Add(Change):
    """An object the target lacks."""

    new: Node

    @property
    def key(self) -> str:
        """Return the new object's key."""
        return key_text(self.new)


@dataclass(frozen=True)
class Drop(Change):
    """An object the target has and the desired state does not; kept for reversal."""

    old: Node

    @property
    def key(self) -> str:
        """Return the old object's key."""
        return key_text(self.old)


@dataclass(frozen=True)
class Alter(Change):
    """An object present on both sides with different definitions."""

    old: Node
    new: Node

    @property
    def key(self) -> str:
        """Return the object's key."""
        return key_text(self.new)


@dataclass(frozen=True)
class Rename(Change):
    """An explicit rename (`renamed_from:`); `column` is set for a column rename."""

    old_name: str
    new_name: str
    table: str | None = None

    @property
    def key(self) -> str:
        """Return the new name (table.column for a column)."""
        return f"{self.table}.{self.new_name}" if self.table else self.new_name
