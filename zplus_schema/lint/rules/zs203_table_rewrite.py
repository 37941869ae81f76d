"""ZS203: a change that rewrites every row of a table."""

from __future__ import annotations

from collections.abc import Iterator

from ...plan.step import Hazard
from .. import anchors
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import ChangeSet


def check(cs: ChangeSet) -> Iterator[Hit]:
    """Report steps with the rewrites_table hazard (type changes, volatile defaults...)."""
    for step in cs.steps:
        if Hazard.REWRITES_TABLE not in step.hazards:
            continue
        table, _, column = step.key.partition(".")
        where = anchors.column(table, column) if column else anchors.table(table)
        yield Hit(f"rewrites every row of {table} under an ACCESS EXCLUSIVE lock ({step.sql}); "
                  "reads and writes wait until it ends: add a new column and backfill in "
                  "batches instead", step.object, where)


RULE = Rule(
    code="ZS203",
    name="table-rewrite",
    severity=Severity.WARNING,
    summary="Change that rewrites the table (type change, volatile default)",
    why="Changing a column to a type that is not binary-compatible (e.g. `integer` to "
        "`bigint`, `text` to `uuid`), or adding a column with a volatile default, makes "
        "PostgreSQL rewrite the whole table and its indexes while holding an ACCESS EXCLUSIVE "
        "lock: nothing can even read the table meanwhile.",
    bad="""
# live: schema/tenant/example.yaml
tables:
  events:
    comment: Tracking events
    columns:
      id: {type: integer, primary_key: true}
# file: schema/tenant/example.yaml
tables:
  events:
    comment: Tracking events
    columns:
      id: {type: bigint, primary_key: true}
""",
    good="""
# live: schema/tenant/example.yaml
tables:
  events:
    comment: Tracking events
    columns:
      id: {type: integer, primary_key: true}
      name: varchar(50)
# file: schema/tenant/example.yaml
tables:
  events:
    comment: Tracking events
    columns:
      id: {type: integer, primary_key: true}
      name: varchar(100)
""",
    check_change=check,
)
