"""What an import could not carry over faithfully, for the summary and the YAML comments."""

from __future__ import annotations

from dataclasses import dataclass

from ..introspect import Unmanaged

# Unmanaged kinds whose name is `table.object`: their note goes next to the table.
_ON_TABLE = frozenset({"constraint trigger", "rule"})


@dataclass(frozen=True, order=True)
class Note:
    """One object left out or imported with a difference, and why."""

    what: str  # e.g. "aggregate total(integer)"
    reason: str
    table: str | None = None  # the table it belongs to, when it belongs to one

    def render(self) -> str:
        """Return `what: reason` for one line of a summary or a YAML comment."""
        return f"{self.what}: {self.reason}"


def unmanaged_note(item: Unmanaged) -> Note:
    """Return the note of an object introspection found but the model cannot hold."""
    table = item.name.split(".", 1)[0] if item.kind in _ON_TABLE else None
    return Note(f"{item.kind} {item.name}", "not managed by zplus-schema; left as it is", table)
