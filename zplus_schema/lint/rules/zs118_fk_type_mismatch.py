"""ZS118: a foreign key column whose type differs from the referenced column's."""

from __future__ import annotations

from collections.abc import Iterator

from .. import anchors
from ..finding import Hit, Severity
from ..rule import Rule
from ..sqltext import type_info
from ..subject import Subject


def _same_type(a: str, b: str) -> bool:
    ta, tb = type_info(a), type_info(b)
    if ta is None or tb is None:
        return True  # unparseable: validate reports it; do not guess here
    return (ta.name, ta.mods, ta.array) == (tb.name, tb.mods, tb.array)


def check(s: Subject) -> Iterator[Hit]:
    """Report foreign key columns typed differently from what they reference."""
    for fk in s.model.foreign_keys():
        table = s.model.table(fk.table)
        target = s.table_of(fk.ref_table.schema_name, fk.ref_table.name)
        if table is None or target is None:
            continue
        for col_name, ref_name in zip(fk.columns, fk.ref_columns, strict=False):
            col, ref = table.column(col_name), target.column(ref_name)
            if col is None or ref is None or _same_type(col.type, ref.type):
                continue
            yield Hit(f"{fk.table}.{col_name} is {col.type} but references "
                      f"{fk.ref_table}.{ref_name}, which is {ref.type}; use the same type",
                      f"foreign key {fk.table}.{fk.name}", anchors.constraint(fk))


RULE = Rule(
    code="ZS118",
    name="fk-type-mismatch",
    severity=Severity.WARNING,
    summary="Foreign key column of another type than the referenced column",
    why="PostgreSQL accepts a foreign key between compatible types (`integer` to `bigint`, "
        "`varchar(50)` to `varchar(100)`), but every check and join then casts, the smaller "
        "side overflows or truncates first, and widening one side later does not widen the "
        "other.",
    bad="""
tables:
  accounts:
    comment: Accounts
    columns:
      id: {type: bigint, identity: always, primary_key: true}
  invoices:
    comment: Invoices of an account
    columns:
      id: {type: bigint, identity: always, primary_key: true}
      account_id: {type: integer, references: accounts}
    indexes:
      idx_invoices_account_id: {columns: [account_id]}
""",
    good="""
tables:
  accounts:
    comment: Accounts
    columns:
      id: {type: bigint, identity: always, primary_key: true}
  invoices:
    comment: Invoices of an account
    columns:
      id: {type: bigint, identity: always, primary_key: true}
      account_id: {type: bigint, references: accounts}
    indexes:
      idx_invoices_account_id: {columns: [account_id]}
""",
    check=check,
)
