"""ZS103: a foreign key whose columns lead no index, primary key or unique constraint."""

from __future__ import annotations

from collections.abc import Iterator

from .. import anchors
from ..finding import Hit, Severity
from ..keys import key_sources, serves_lookup
from ..rule import Rule
from ..subject import Subject


def check(s: Subject) -> Iterator[Hit]:
    """Report foreign keys no index can serve: deletes of the parent scan this table."""
    for fk in s.model.foreign_keys():
        if s.model.table(fk.table) is None:
            continue
        if any(serves_lookup(src, fk.columns) for src in key_sources(s.visible, fk.table)):
            continue
        cols = ", ".join(fk.columns)
        yield Hit(f"foreign key {fk.name} ({cols}) has no index with these leading columns: "
                  f"every delete or key update in {fk.ref_table} scans {fk.table}",
                  f"foreign key {fk.table}.{fk.name}", anchors.constraint(fk))


RULE = Rule(
    code="ZS103",
    name="fk-without-index",
    severity=Severity.WARNING,
    summary="Foreign key without an index on its columns",
    why="PostgreSQL indexes the referenced key, not the referencing columns. Without an "
        "index whose leading columns are the foreign key's, every DELETE of a parent row (and "
        "every ON DELETE CASCADE) scans the whole child table, and joins from parent to "
        "children cannot use an index. The seed leaves `customer_activities.customer_id` and "
        "`order_items.order_id`, among others, unindexed.",
    bad="""
tables:
  orders:
    comment: Sales
    columns:
      id: {type: uuid, primary_key: true}
  order_items:
    comment: Lines of an order
    columns:
      id:       {type: uuid, primary_key: true}
      order_id: {type: uuid, nullable: false, references: orders, on_delete: cascade}
""",
    good="""
tables:
  orders:
    comment: Sales
    columns:
      id: {type: uuid, primary_key: true}
  order_items:
    comment: Lines of an order
    columns:
      id:       {type: uuid, primary_key: true}
      order_id: {type: uuid, nullable: false, references: orders, on_delete: cascade}
    indexes:
      idx_order_items_order_id: {columns: [order_id]}
""",
    check=check,
)
