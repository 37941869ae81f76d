"""A generated SQL statement and what it provides to and requires from the others."""

from __future__ import annotations

from dataclasses import dataclass, field

# Tie-break order between statements with no dependency between them: creates early,
# things that hang off tables (FKs, triggers, comments) late.
RANK = {
    "schema": 0, "extension": 1, "enum": 2, "domain": 2, "sequence": 3, "function": 4,
    "table": 5, "column": 6, "rename": 4,
    "sequence_owner": 6, "constraint": 7, "view": 8, "index": 9, "trigger": 10, "policy": 11,
    "comment": 12,
}


@dataclass(frozen=True)
class Statement:
    """One SQL statement (no trailing semicolon) with its dependency edges."""

    sql: str
    kind: str
    key: str
    provides: frozenset[str] = field(default_factory=frozenset)
    requires: frozenset[str] = field(default_factory=frozenset)

    @property
    def sort_key(self) -> tuple[int, str]:
        """Return the deterministic tie-break key."""
        return (RANK.get(self.kind, 99), self.key)
