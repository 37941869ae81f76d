"""ZS113: a table without a comment."""

from __future__ import annotations

from collections.abc import Iterator

from .. import anchors
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import Subject


def check(s: Subject) -> Iterator[Hit]:
    """Report tables (not partitions) that say nothing about what a row is."""
    for table in s.model.tables:
        if table.partition_of is None and not (table.comment or "").strip():
            yield Hit(f"table {table.name} has no comment: say what one row is",
                      f"table {table.name}", anchors.of_table(table))


RULE = Rule(
    code="ZS113",
    name="table-without-comment",
    severity=Severity.INFO,
    summary="Table without a comment",
    why="A comment is stored in the catalog (`COMMENT ON TABLE`), so every client, dump and "
        "auditor report shows it. One sentence saying what one row is saves every later "
        "reader from guessing.",
    bad="""
tables:
  usage_stats:
    columns:
      id: {type: uuid, primary_key: true}
""",
    good="""
tables:
  usage_stats:
    comment: Daily usage metrics per tenant
    columns:
      id: {type: uuid, primary_key: true}
""",
    check=check,
)
