"""ZS106: a column of type timestamp without time zone."""

from __future__ import annotations

from collections.abc import Iterator

from ..columns import builtin, type_hits
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import Subject


def check(s: Subject) -> Iterator[Hit]:
    """Report timestamp (without time zone) columns and domains."""
    yield from type_hits(
        s.model, lambda t: builtin(t, "timestamp"),
        lambda t, c: f"{t.name}.{c.name} is timestamp without time zone ({c.type}); use "
                     "timestamptz")


RULE = Rule(
    code="ZS106",
    name="timestamp-without-time-zone",
    severity=Severity.WARNING,
    summary="`timestamp` without time zone",
    why="`timestamp` stores a wall-clock reading with no zone: the same instant written by "
        "sessions in two time zones is stored as two values, and comparisons across daylight "
        "saving changes go wrong. `timestamptz` stores the instant and displays it in the "
        "session's zone; it costs the same 8 bytes. The seed uses `TIMESTAMP` everywhere.",
    bad="""
tables:
  users:
    comment: Tenant users
    columns:
      id: {type: uuid, primary_key: true}
      created_at: {type: timestamp, nullable: false, default: now()}
""",
    good="""
tables:
  users:
    comment: Tenant users
    columns:
      id: {type: uuid, primary_key: true}
      created_at: {type: timestamptz, nullable: false, default: now()}
""",
    check=check,
)
