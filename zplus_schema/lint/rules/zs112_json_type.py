"""ZS112: json instead of jsonb."""

from __future__ import annotations

from collections.abc import Iterator

from ..columns import builtin, type_hits
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import Subject


def check(s: Subject) -> Iterator[Hit]:
    """Report columns of type json."""
    yield from type_hits(
        s.model, lambda t: builtin(t, "json"),
        lambda t, c: f"{t.name}.{c.name} is json; use jsonb")


RULE = Rule(
    code="ZS112",
    name="json-type",
    severity=Severity.WARNING,
    summary="`json` instead of `jsonb`",
    why="`json` stores the text as written and re-parses it on every access; it has no "
        "equality operator (so no DISTINCT, GROUP BY or unique index) and no GIN index "
        "support. `jsonb` is parsed once, compares, and indexes. Keep `json` only when the "
        "exact text (key order, duplicate keys, whitespace) must be preserved.",
    bad="""
tables:
  tenants:
    comment: Customer organisations
    columns:
      id: {type: uuid, primary_key: true}
      settings: {type: json, nullable: false, default: "'{}'"}
""",
    good="""
tables:
  tenants:
    comment: Customer organisations
    columns:
      id: {type: uuid, primary_key: true}
      settings: {type: jsonb, nullable: false, default: "'{}'::jsonb"}
""",
    check=check,
)
