"""Triggers (sql/triggers.sql)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, NamedTuple

import psycopg

from ..model import QualName, Trigger
from ..model.trigger import EVENT_ORDER, Event, Timing
from .found import Found, other_schema
from .queries import fetch
from .text import relativize, when_condition

# pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h).
TRIGGER_TYPE_ROW = 1
TRIGGER_TYPE_BEFORE = 2
TRIGGER_TYPE_INSTEAD = 64
EVENT_BITS: dict[Event, int] = {"insert": 4, "delete": 8, "update": 16, "truncate": 32}


class TriggerRow(NamedTuple):
    """One row of sql/triggers.sql; definition only for a trigger with a WHEN condition."""

    schema_name: str
    table_name: str
    name: str
    tgtype: int
    update_of: list[str] | None
    function_schema: str
    function_name: str
    arg_count: int
    args: bytes
    definition: str | None
    is_constraint_trigger: bool
    comment: str | None


class TriggerSpec(NamedTuple):
    """What a model Trigger is built from: a row made relative to its schema.

    function_schema is None for the trigger's own schema.
    """

    table_name: str
    name: str
    tgtype: int
    update_of: tuple[str, ...]
    function_schema: str | None
    function_name: str
    arguments: tuple[str, ...]
    when: str | None
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


def trigger_spec(row: TriggerRow) -> TriggerSpec:
    """Return the relative inputs of a catalog trigger's model."""
    own = row.schema_name
    when = None
    if row.definition is not None:
        when = relativize(when_condition(row.definition), own)
    return TriggerSpec(
        row.table_name, row.name, row.tgtype, tuple(row.update_of or ()),
        other_schema(row.function_schema, own), row.function_name,
        decode_args(row.args, row.arg_count), when, row.comment,
    )


def build_trigger(spec: TriggerSpec) -> Trigger:
    """Return the model Trigger of one catalog trigger, relative to its schema."""
    timing, events, level = decode_tgtype(spec.tgtype)
    return Trigger(
        table=spec.table_name,
        name=spec.name,
        timing=timing,
        events=events,
        update_of=spec.update_of,
        level=level,
        when=spec.when,
        function=QualName(schema_name=spec.function_schema, name=spec.function_name),
        arguments=spec.arguments,
        comment=spec.comment,
    )


def read(conn: psycopg.Connection[Any], schemas: Sequence[str], found: Found) -> None:
    """Read every user trigger of `schemas` into `found`; constraint triggers are unmanaged.

    Equal triggers (the same definitions in several schemas) are built once.
    """
    shared: dict[TriggerSpec, Trigger] = {}
    for row in fetch(conn, "triggers", TriggerRow._make, schemas):
        if row.is_constraint_trigger:
            found.report(row.schema_name, "constraint trigger", f"{row.table_name}.{row.name}")
            continue
        spec = trigger_spec(row)
        trigger = shared.get(spec)
        if trigger is None:
            trigger = shared[spec] = build_trigger(spec)
        found.add(row.schema_name, "triggers", trigger)
