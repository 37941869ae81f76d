"""ZS107: a table without a primary key."""

from __future__ import annotations

from collections.abc import Iterator

from .. import anchors
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import Subject


def check(s: Subject) -> Iterator[Hit]:
    """Report tables (not partitions, which inherit their parent's) without a primary key."""
    for table in s.model.tables:
        if table.partition_of is None and s.model.primary_key(table.name) is None:
            yield Hit(f"table {table.name} has no primary key", f"table {table.name}",
                      anchors.of_table(table))


RULE = Rule(
    code="ZS107",
    name="table-without-primary-key",
    severity=Severity.WARNING,
    summary="Table without a primary key",
    why="Without a primary key a row cannot be addressed reliably: duplicates creep in, "
        "foreign keys have nothing to point at, logical replication cannot replicate UPDATE "
        "and DELETE, and tools that edit rows refuse the table.",
    bad="""
tables:
  page_views:
    comment: One row per page view
    columns:
      path: {type: text, nullable: false}
      viewed_at: {type: timestamptz, nullable: false}
""",
    good="""
tables:
  page_views:
    comment: One row per page view
    columns:
      id: {type: bigint, identity: always, primary_key: true}
      path: {type: text, nullable: false}
      viewed_at: {type: timestamptz, nullable: false}
""",
    check=check,
)
