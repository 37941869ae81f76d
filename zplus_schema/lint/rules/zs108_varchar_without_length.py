"""ZS108: varchar without a length."""

from __future__ import annotations

from collections.abc import Iterator

from ..columns import builtin, type_hits
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import Subject


def check(s: Subject) -> Iterator[Hit]:
    """Report varchar columns without a length limit."""
    yield from type_hits(
        s.model, lambda t: builtin(t, "varchar") and not t.mods,
        lambda t, c: f"{t.name}.{c.name} is varchar without a length, which is text under "
                     "another name; write text (or give the length the data needs)")


RULE = Rule(
    code="ZS108",
    name="varchar-without-length",
    severity=Severity.INFO,
    summary="`varchar` without a length",
    why="`varchar` without a length behaves exactly like `text` but reads as if a limit had "
        "been forgotten. Say what is meant: `text`, or `varchar(n)` with the limit the data "
        "has.",
    bad="""
tables:
  notes:
    comment: Free-form notes
    columns:
      id: {type: uuid, primary_key: true}
      body: varchar
""",
    good="""
tables:
  notes:
    comment: Free-form notes
    columns:
      id: {type: uuid, primary_key: true}
      body: text
""",
    check=check,
)
