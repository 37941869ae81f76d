"""ZS109: char(n) / character(n) columns."""

from __future__ import annotations

from collections.abc import Iterator

from ..columns import builtin, type_hits
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import Subject


def check(s: Subject) -> Iterator[Hit]:
    """Report blank-padded char(n) columns."""
    yield from type_hits(
        s.model, lambda t: builtin(t, "bpchar"),
        lambda t, c: f"{t.name}.{c.name} is {c.type}, blank-padded to its length; use text "
                     "or varchar(n) (with a check constraint for a fixed length)")


RULE = Rule(
    code="ZS109",
    name="char-type",
    severity=Severity.WARNING,
    summary="`char(n)` / `character(n)` column",
    why="`char(n)` pads values with spaces to n characters, ignores trailing spaces in "
        "comparisons but not in every function, and is no faster than `varchar` or `text`. "
        "A fixed-length code is better `text` with `CHECK (length(code) = n)`.",
    bad="""
tables:
  currencies:
    comment: ISO 4217 currencies
    columns:
      code: {type: char(3), primary_key: true}
""",
    good="""
tables:
  currencies:
    comment: ISO 4217 currencies
    columns:
      code: {type: text, primary_key: true, check: "code ~ '^[A-Z]{3}$'"}
""",
    check=check,
)
