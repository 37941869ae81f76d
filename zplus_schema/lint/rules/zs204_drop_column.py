"""ZS204: a column dropped (its data is deleted)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import anchors
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import ChangeSet


def check(cs: ChangeSet) -> Iterator[Hit]:
    """Report DROP COLUMN of a stored (not generated) column."""
    for step in cs.steps:
        if step.kind != "column" or step.action != "drop":
            continue
        table_name, _, col_name = step.key.partition(".")
        table = cs.live.table(table_name)
        col = table.column(col_name) if table else None
        if col is not None and col.generated:
            continue  # a generated column holds nothing that cannot be computed again
        yield Hit(f"drops column {step.key} and its data; make sure no deployed code still "
                  "reads or writes it, and that the data is not needed", f"column {step.key}",
                  anchors.column(table_name, col_name))


RULE = Rule(
    code="ZS204",
    name="drop-column",
    severity=Severity.WARNING,
    summary="Dropping a column",
    why="The data is gone once the transaction commits, and the application version still "
        "running during a rolling deployment fails on every query naming the column. Stop "
        "using the column in one release, drop it in a later one.",
    bad="""
# live: schema/tenant/example.yaml
tables:
  users:
    comment: Tenant users
    columns:
      id: {type: uuid, primary_key: true}
      phone: varchar(20)
# file: schema/tenant/example.yaml
tables:
  users:
    comment: Tenant users
    columns:
      id: {type: uuid, primary_key: true}
""",
    good="""
# live: schema/tenant/example.yaml
tables:
  users:
    comment: Tenant users
    columns:
      id: {type: uuid, primary_key: true}
      phone: varchar(20)
# file: schema/tenant/example.yaml
tables:
  users:
    comment: Tenant users
    columns:
      id: {type: uuid, primary_key: true}
      phone: {type: varchar(20), comment: "Deprecated: unused since 2.4, dropped in 2.6"}
""",
    check_change=check,
)
