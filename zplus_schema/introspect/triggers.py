"""Triggers (sql/triggers.sql)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import psycopg

from ..model import Trigger
from ..model.trigger import EVENT_ORDER, Event, Timing
from .found import Found, qualname
from .queries import fetch
from .text import relativize, when_condition

# pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h).
TRIGGER_TYPE_ROW = 1
TRIGGER_TYPE_BEFORE = 2
TRIGGER_TYPE_INSTEAD = 64
EVENT_BITS: dict[Event, int] = {"insert": 4, "delete": 8, "update": 16, "truncate": 32}


@dataclass(frozen=True)
class TriggerRow:
    """One row of sql/triggers.sql."""

    schema_name: str
    table_name: str
    name: str
    tgtype: int
    update_of: list[str]
    function_schema: str
    function_name: str
    arg_count: int
    args: bytes
    has_when: bool
    definition: str
    is_constraint_trigger: bool
    comment: str | None


def decode_tgtype(tgtype: int) -> tuple[Timing, tuple[Event, ...], Literal["row", "statement"]]:
    """Return (timing, events in the model's order, level) encoded in tgtype."""
    timing: Timing = "after"
    if tgtype & TRIGGER_TYPE_INSTEAD:
        timing = "instead of"
    elif tgtype & TRIGGER_TYPE_BEFORE:
        timing = "before"
    events = tuple(e for e in EVENT_ORDER if tgtype & EVENT_BITS[e])
    return timing, events, "row" if tgtype & TRIGGER_TYPE_ROW else "statement"


def decode_args(args: bytes, count: int) -> tuple[str, ...]:
    """Return tgargs' NUL-terminated arguments as text."""
    return tuple(a.decode() for a in args.split(b"\x00")[:count])


def build_trigger(row: TriggerRow) -> Trigger:
    """Return the model Trigger of one catalog trigger, relative to its schema."""
    own = row.schema_name
    timing, events, level = decode_tgtype(row.tgtype)
    when = relativize(when_condition(row.definition), own) if row.has_when else None
    return Trigger(
        table=row.table_name,
        name=row.name,
        timing=timing,
        events=events,
        update_of=tuple(row.update_of),
        level=level,
        when=when,
        function=qualname(row.function_schema, row.function_name, own),
        arguments=decode_args(row.args, row.arg_count),
        comment=row.comment,
    )


def read(conn: psycopg.Connection[Any], schemas: Sequence[str], found: Found) -> None:
    """Read every user trigger of `schemas` into `found`; constraint triggers are unmanaged."""
    for row in fetch(conn, "triggers", TriggerRow, schemas):
        if row.is_constraint_trigger:
            found.report(row.schema_name, "constraint trigger", f"{row.table_name}.{row.name}")
        else:
            found.add(row.schema_name, "triggers", build_trigger(row))
