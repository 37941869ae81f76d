"""ZS117: an integer (32-bit or smaller) primary key."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import PrimaryKey
from .. import anchors
from ..columns import builtin
from ..finding import Hit, Severity
from ..rule import Rule
from ..sqltext import type_info
from ..subject import Subject

SMALL_INTS = ("int4", "int2", "serial", "serial4", "smallserial", "serial2")


def check(s: Subject) -> Iterator[Hit]:
    """Report single-column primary keys of a 32-bit or smaller integer type."""
    for con in s.model.constraints:
        table = s.model.table(con.table)
        if not isinstance(con, PrimaryKey) or len(con.columns) != 1 or table is None:
            continue
        col = table.column(con.columns[0])
        info = type_info(col.type) if col else None
        if col is None or info is None:
            continue
        if builtin(info, *SMALL_INTS):
            yield Hit(f"primary key {table.name}.{col.name} is {col.type}: it runs out at "
                      "2^31 - 1 rows (or ids); use bigint", f"column {table.name}.{col.name}",
                      anchors.column(table.name, col.name))


RULE = Rule(
    code="ZS117",
    name="integer-primary-key",
    severity=Severity.INFO,
    summary="32-bit integer primary key",
    why="An `integer` key stops at 2,147,483,647; sequences also burn values on rolled-back "
        "inserts. Moving a busy table to `bigint` later rewrites it and every referencing "
        "column under an exclusive lock. `bigint` costs 4 bytes more per row.",
    bad="""
tables:
  events:
    comment: Tracking events
    columns:
      id: {type: integer, identity: always, primary_key: true}
""",
    good="""
tables:
  events:
    comment: Tracking events
    columns:
      id: {type: bigint, identity: always, primary_key: true}
""",
    check=check,
)
