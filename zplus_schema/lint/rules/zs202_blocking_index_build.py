"""ZS202: an index built on an existing table without CONCURRENTLY."""

from __future__ import annotations

from collections.abc import Iterator

from ...plan.step import Hazard
from .. import anchors
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import ChangeSet


def check(cs: ChangeSet) -> Iterator[Hit]:
    """Report index builds that carry the builds_index hazard."""
    indexes = {i.name: i for i in cs.desired.indexes}
    for step in cs.steps:
        if Hazard.BUILDS_INDEX not in step.hazards:
            continue
        index = indexes.get(step.key)
        where = anchors.index(index) if index else anchors.table(step.key)
        on = f" on {index.table}" if index else ""
        yield Hit(f"builds index {step.key}{on} inside the transaction: writes to the table "
                  "block until the build ends; apply with --concurrently", f"index {step.key}",
                  where)


RULE = Rule(
    code="ZS202",
    name="blocking-index-build",
    severity=Severity.WARNING,
    summary="Index built on an existing table without CONCURRENTLY",
    why="`CREATE INDEX` takes a SHARE lock: every INSERT, UPDATE and DELETE on the table "
        "waits for the whole build, minutes on a large table. `apply --concurrently` builds "
        "it with `CREATE INDEX CONCURRENTLY` after the transaction instead.",
    bad="""
# live: schema/tenant/example.yaml
tables:
  orders:
    comment: Sales
    columns:
      id: {type: uuid, primary_key: true}
      status: {type: text, nullable: false}
# file: schema/tenant/example.yaml
tables:
  orders:
    comment: Sales
    columns:
      id: {type: uuid, primary_key: true}
      status: {type: text, nullable: false}
    indexes:
      idx_orders_status: {columns: [status]}
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
  orders:
    comment: Sales (a new table; its index is built while it is empty)
    columns:
      id: {type: uuid, primary_key: true}
      status: {type: text, nullable: false}
    indexes:
      idx_orders_status: {columns: [status]}
""",
    check_change=check,
)
