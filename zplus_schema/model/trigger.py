"""Triggers."""

from __future__ import annotations

from typing import Literal

from .base import Node, QualName

Timing = Literal["before", "after", "instead of"]
Event = Literal["insert", "update", "delete", "truncate"]
EVENT_ORDER: tuple[Event, ...] = ("insert", "update", "delete", "truncate")


class Trigger(Node):
    """CREATE TRIGGER name timing events ON table FOR EACH level [WHEN] EXECUTE FUNCTION."""

    table: str
    name: str
    timing: Timing
    events: tuple[Event, ...]
    update_of: tuple[str, ...] = ()
    level: Literal["row", "statement"] = "row"
    when: str | None = None
    function: QualName
    arguments: tuple[str, ...] = ()
    comment: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """Return (table, trigger name): trigger names are per table."""
        return (self.table, self.name)
