"""Read live schemas into the model: one catalog query per object kind for all schemas."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg

from ..model import SchemaModel
from . import (
    constraints,
    extensions,
    functions,
    indexes,
    policies,
    sequences,
    tables,
    triggers,
    types,
    unmanaged,
    views,
)
from .found import Found, Unmanaged
from .queries import load_query

Reader = Callable[[psycopg.Connection[Any], Sequence[str], Found], None]

# Each reader runs its queries once for all schemas; QUERIES is what one call issues,
# after sql/settings.sql.
READERS: tuple[Reader, ...] = (
    extensions.read, types.read, sequences.read, functions.read, tables.read,
    constraints.read, indexes.read, triggers.read, views.read, policies.read, unmanaged.read,
)
QUERIES = (
    "extensions", "enums", "domains", "sequences", "functions", "tables", "columns",
    "constraints", "indexes", "triggers", "views", "policies", "unmanaged",
)
# Collections whose objects hang off a relation by name (their `table` field).
_ON_RELATION = ("constraints", "indexes", "triggers", "policies")


@dataclass
class Introspected:
    """One schema as read from the catalog: its model and what the model cannot hold."""

    schema: str
    model: SchemaModel
    unmanaged: list[Unmanaged] = field(default_factory=list)


def introspect(conn: psycopg.Connection[Any], schemas: Sequence[str]) -> dict[str, Introspected]:
    """Read `schemas` from the live database; return schema name -> Introspected.

    The queries run in a transaction (a savepoint when one is open) that is rolled back,
    with `search_path = pg_catalog` set locally: pg_get_expr and friends then qualify every
    name outside pg_catalog, and each object's text is made relative to its own schema.
    sql/settings.sql also pins how constants print (DateStyle, TimeZone, ...), so the
    result does not depend on the session's settings.
    A schema that does not exist comes back with an empty model.
    """
    names = list(dict.fromkeys(schemas))
    found = Found()
    with conn.transaction(force_rollback=True):
        conn.execute(load_query("settings"))
        for read in READERS:
            read(conn, names, found)
    return {name: assemble(name, found) for name in names}


def assemble(schema: str, found: Found) -> Introspected:
    """Return the Introspected of one schema from everything the readers found."""
    model = SchemaModel.model_validate(found.objects.get(schema, {}))
    relations = {t.name for t in model.tables} | {v.name for v in model.views}
    relations |= {m.name for m in model.materialized_views}
    # Objects on a relation the model leaves out (an extension member, a foreign table)
    # are left out with it; the relation itself is reported or belongs to the extension.
    kept = {
        collection: tuple(o for o in getattr(model, collection) if o.table in relations)
        for collection in _ON_RELATION
    }
    unmanaged_here = sorted(
        (u for u in found.unmanaged if u.schema == schema), key=lambda u: (u.kind, u.name)
    )
    return Introspected(schema, model.model_copy(update=kept), unmanaged_here)
