"""ZS110: serial columns (or their catalog form: a default from an owned sequence)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...model import Column, SchemaModel, Table
from .. import anchors
from ..columns import typed_columns
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import Subject

SERIALS = ("serial", "bigserial", "smallserial", "serial2", "serial4", "serial8")
_NEXTVAL = re.compile(r"^\s*nextval\('(?:[\w$\"]+\.)?\"?([\w$]+)\"?'(?:::regclass)?\)\s*$")


def _owned_sequence_default(model: SchemaModel, table: Table, col: Column) -> bool:
    """Return True for a `serial` as the catalog shows it: nextval of a sequence it owns."""
    match = _NEXTVAL.match(col.default or "")
    if not match:
        return False
    return any(seq.name == match.group(1) and seq.owned_by == (table.name, col.name)
               for seq in model.sequences)


def check(s: Subject) -> Iterator[Hit]:
    """Report serial columns; write identity columns instead."""
    for table, col, info in typed_columns(s.model):
        serial = info.schema is None and info.name in SERIALS
        if serial or _owned_sequence_default(s.model, table, col):
            yield Hit(f"{table.name}.{col.name} is a serial column; use "
                      "{type: bigint, identity: always} instead",
                      f"column {table.name}.{col.name}", anchors.column(table.name, col.name))


RULE = Rule(
    code="ZS110",
    name="serial-type",
    severity=Severity.WARNING,
    summary="`serial` instead of an identity column",
    why="`serial` is a sequence plus a default: the sequence has its own owner and "
        "privileges (an INSERT needs USAGE on it), explicit values silently bypass it and "
        "collide later, and `CREATE TABLE ... LIKE` copies the default pointing at the old "
        "sequence. `GENERATED ALWAYS AS IDENTITY` is the SQL-standard form without these "
        "traps.",
    bad="""
tables:
  invoices:
    comment: Invoices
    columns:
      id: {type: serial, primary_key: true}
""",
    good="""
tables:
  invoices:
    comment: Invoices
    columns:
      id: {type: bigint, identity: always, primary_key: true}
""",
    check=check,
)
