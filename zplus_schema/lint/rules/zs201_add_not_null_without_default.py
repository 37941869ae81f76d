"""ZS201: a NOT NULL column without a default added to an existing table."""

from __future__ import annotations

from collections.abc import Iterator

from .. import anchors
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import ChangeSet


def check(cs: ChangeSet) -> Iterator[Hit]:
    """Report ADD COLUMN ... NOT NULL without a default on a table that already exists."""
    for step in cs.steps:
        if step.kind != "column" or step.action != "create":
            continue
        table_name, _, col_name = step.key.partition(".")
        table = cs.desired.table(table_name)
        col = table.column(col_name) if table else None
        if col is None or cs.is_new_table(table_name):
            continue
        if col.nullable or col.default is not None or col.identity or col.generated:
            continue
        yield Hit(f"adds NOT NULL column {step.key} without a default: the ALTER fails as soon "
                  f"as {table_name} has a row; add it nullable, backfill, then make it NOT "
                  "NULL (or give it a default)", f"column {step.key}",
                  anchors.column(table_name, col_name))


RULE = Rule(
    code="ZS201",
    name="add-not-null-without-default",
    severity=Severity.ERROR,
    summary="Adding a NOT NULL column without a default to an existing table",
    why="Existing rows would hold NULL in the new column, so PostgreSQL refuses the ALTER "
        "TABLE on any non-empty table. It passes on an empty development database and fails "
        "in production, in the middle of a deployment.",
    bad="""
# live: schema/tenant/example.yaml
tables:
  customers:
    comment: End customers
    columns:
      id: {type: uuid, primary_key: true}
# file: schema/tenant/example.yaml
tables:
  customers:
    comment: End customers
    columns:
      id: {type: uuid, primary_key: true}
      status: {type: text, nullable: false}
""",
    good="""
# live: schema/tenant/example.yaml
tables:
  customers:
    comment: End customers
    columns:
      id: {type: uuid, primary_key: true}
# file: schema/tenant/example.yaml
tables:
  customers:
    comment: End customers
    columns:
      id: {type: uuid, primary_key: true}
      status: {type: text, nullable: false, default: "'lead'"}
""",
    check_change=check,
)
