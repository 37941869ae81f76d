"""ZS115: an identifier longer than PostgreSQL's 63 bytes (often a generated name)."""

from __future__ import annotations

from collections.abc import Iterator

from ...ident import MAX_IDENTIFIER_BYTES
from ..finding import Hit, Severity
from ..names import Name, defined_names
from ..rule import Rule
from ..subject import Subject

GENERATED_SUFFIXES = ("_pkey", "_key", "_fkey", "_check", "_excl")


def _generated(n: Name) -> bool:
    """Return True for a constraint name made from its table and columns (no `name:`)."""
    return (n.what == "constraint" and n.table is not None
            and n.name.startswith(f"{n.table}_") and n.name.endswith(GENERATED_SUFFIXES))


def check(s: Subject) -> Iterator[Hit]:
    """Report names PostgreSQL would truncate to 63 bytes."""
    for n in defined_names(s.model):
        size = len(n.name.encode())
        if size <= MAX_IDENTIFIER_BYTES:
            continue
        how = ("generated from the table and column names; give the constraint a shorter "
               "`name:`" if _generated(n) else "choose a shorter name")
        yield Hit(f"{n.what} name {n.name} is {size} bytes; PostgreSQL truncates names to "
                  f"{MAX_IDENTIFIER_BYTES} bytes, so the catalog would hold another name "
                  f"(and two long names may collide): {how}", n.obj, n.anchors)


RULE = Rule(
    code="ZS115",
    name="identifier-too-long",
    severity=Severity.ERROR,
    summary="Identifier longer than 63 bytes (e.g. a generated constraint name)",
    why="PostgreSQL truncates identifiers to 63 bytes with only a NOTICE. The object then "
        "exists under a name the definitions do not contain, so every plan wants to create "
        "it again, and two names sharing their first 63 bytes collide. Generated constraint "
        "names (`<table>_<columns>_fkey`) grow past the limit unnoticed on long tables with "
        "multi-column keys. `validate` refuses this in YAML; the rule also checks models "
        "built in code.",
    bad="""
tables:
  customer_subscription_renewal_reminders:
    comment: Reminders sent before a subscription renews
    columns:
      id: {type: uuid, primary_key: true}
      subscription_renewal_reference_id: {type: uuid, unique: true}
""",
    good="""
tables:
  customer_subscription_renewal_reminders:
    comment: Reminders sent before a subscription renews
    columns:
      id: {type: uuid, primary_key: true}
      subscription_renewal_reference_id: uuid
    unique:
      - {name: renewal_reminders_reference_key, columns: [subscription_renewal_reference_id]}
""",
    check=check,
)
