"""What rules report: hits about objects, and findings (hits with code, severity, place)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..errors import Location


class Severity(StrEnum):
    """How bad a finding is; `--fail-on` compares by rank."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Return 3 for error, 2 for warning, 1 for info."""
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True)
class Anchor:
    """An object a finding is about, as the loader keys it: (kind, key) plus a line offset.

    Kinds are the loader's: relation (tables, indexes, sequences, views), column,
    constraint, trigger, policy, function, body (a function body), type, extension.
    """

    kind: str
    key: str
    offset: int = 0  # lines below the object's own line (a statement inside a body)


@dataclass(frozen=True)
class Hit:
    """What one rule found: a message about an object, anchors most specific first.

    The anchors locate the finding (the first one written somewhere wins) and decide which
    `lint: ignore` entries apply (any anchor's entry does).
    """

    message: str
    obj: str  # how a reviewer names the object: "column users.email"
    anchors: tuple[Anchor, ...]


@dataclass(frozen=True)
class Finding:
    """A hit with its rule, severity, schema group and (for YAML) file:line."""

    code: str
    name: str
    severity: Severity
    message: str
    obj: str
    group: str
    location: Location | None = None

    def sort_key(self) -> tuple[str, int, str, str, str]:
        """Return the report order: file, line, code, object, message."""
        file = str(self.location.file) if self.location else f"~{self.group}"
        line = self.location.line if self.location else 0
        return (file, line, self.code, self.obj, self.message)

    def to_json(self) -> dict[str, Any]:
        """Return the stable JSON form (keys documented in docs/lint-rules.md)."""
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "object": self.obj,
            "group": self.group,
            "file": str(self.location.file) if self.location else None,
            "line": self.location.line if self.location else None,
        }
