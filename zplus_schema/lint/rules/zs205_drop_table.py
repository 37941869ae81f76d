"""ZS205: a table dropped (its data is deleted)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import anchors
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import ChangeSet


def check(cs: ChangeSet) -> Iterator[Hit]:
    """Report DROP TABLE steps."""
    for step in cs.steps:
        if step.kind == "table" and step.action == "drop":
            again = cs.desired.table(step.key) is not None
            how = " and creates it again (its partitioning changed)" if again else ""
            yield Hit(f"drops table {step.key}{how}: every row is deleted", f"table {step.key}",
                      anchors.table(step.key))


RULE = Rule(
    code="ZS205",
    name="drop-table",
    severity=Severity.WARNING,
    summary="Dropping a table",
    why="Every row is gone once the transaction commits, in every tenant schema the plan is "
        "applied to. A renamed table needs `renamed_from:` instead, and a table still read "
        "by the running application version should be dropped in a later release.",
    bad="""
# live: schema/tenant/example.yaml
tables:
  customers:
    comment: End customers
    columns:
      id: {type: uuid, primary_key: true}
# file: schema/tenant/example.yaml
tables: {}
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
  clients:
    renamed_from: customers
    comment: End customers
    columns:
      id: {type: uuid, primary_key: true}
""",
    check_change=check,
)
