"""What a generator needs to know about its target: the schema names to bind."""

from __future__ import annotations

from dataclasses import dataclass

from ..ident import quote_ident, quote_qualified
from ..model import QualName


@dataclass(frozen=True)
class Target:
    """The schema a schema-relative model is compiled into, and the system schema."""

    schema: str
    system_schema: str = "public"

    def q(self, name: str) -> str:
        """Return `name` qualified with the target schema, quoted."""
        return quote_qualified(self.schema, name)

    def qn(self, name: QualName) -> str:
        """Return a QualName bound to a schema: its own, or the target's when unqualified."""
        return quote_qualified(name.schema_name or self.schema, name.name)

    def col_list(self, columns: tuple[str, ...] | list[str]) -> str:
        """Return `(a, b)` with each column quoted."""
        return "(" + ", ".join(quote_ident(c) for c in columns) + ")"
