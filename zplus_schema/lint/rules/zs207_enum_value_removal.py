"""ZS207: an enum value removed or the values reordered."""

from __future__ import annotations

from collections.abc import Iterator

from .. import anchors
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import ChangeSet


def check(cs: ChangeSet) -> Iterator[Hit]:
    """Report enums whose live values are not all kept, in order, by the desired enum."""
    live = {e.name: e for e in cs.live.enums}
    for enum in cs.desired.enums:
        old = live.get(enum.name)
        if old is None:
            continue
        removed = [v for v in old.values if v not in enum.values]
        kept = [v for v in enum.values if v in old.values]
        if removed:
            what = f"removes value(s) {', '.join(removed)}"
        elif kept != list(old.values):
            what = "reorders existing values"
        else:
            continue
        yield Hit(f"enum {enum.name} {what}: PostgreSQL can only add values, and rows may hold "
                  "them; migrate by hand (new type, convert columns, drop the old type) or "
                  "keep the values", f"enum {enum.name}", anchors.type_(enum.name))


RULE = Rule(
    code="ZS207",
    name="enum-value-removal",
    severity=Severity.ERROR,
    summary="Removing (or reordering) an enum value",
    why="PostgreSQL has `ALTER TYPE ... ADD VALUE` but no way to drop or reorder a value: "
        "rows and indexes may contain it. The plan refuses such a change; the lint says so "
        "before anyone tries to apply it.",
    bad="""
# live: schema/tenant/example.yaml
enums:
  order_status: [pending, paid, shipped, cancelled]
# file: schema/tenant/example.yaml
enums:
  order_status: [pending, paid, shipped]
""",
    good="""
# live: schema/tenant/example.yaml
enums:
  order_status: [pending, paid, shipped, cancelled]
# file: schema/tenant/example.yaml
enums:
  order_status: [pending, paid, shipped, cancelled, refunded]
""",
    check_change=check,
)
