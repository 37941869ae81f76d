"""Read live schemas into the model: one catalog query per object kind for all schemas."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg

from ..model import Node, SchemaModel
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
    A schema that does not exist comes back with an empty model. The models are frozen:
    schemas built from the same definitions share their objects, and their SchemaModel.
    """
    names = list(dict.fromkeys(schemas))
    found = Found()
    with conn.transaction(force_rollback=True):
        conn.execute(load_query("settings"))
        for read in READERS:
            read(conn, names, found)
    unmanaged: dict[str, list[Unmanaged]] = {}
    for u in found.unmanaged:
        unmanaged.setdefault(u.schema, []).append(u)
    shared: dict[tuple[tuple[int, ...], ...], SchemaModel] = {}
    return {
        name: Introspected(
            name,
            shared_model(found.objects.get(name, {}), shared),
            sorted(unmanaged.get(name, ()), key=lambda u: (u.kind, u.name)),
        )
        for name in names
    }


def shared_model(
    objects: dict[str, list[Node]], shared: dict[tuple[tuple[int, ...], ...], SchemaModel]
) -> SchemaModel:
    """Return the model of one schema's objects; the same objects give the same model object.

    Readers share equal objects between schemas, so identical schemas hold the very same
    objects: `shared` keys models by the identity of their objects (in any order: the model
    sorts each collection by key), which stay alive in `objects` as long as the call that
    fills `shared`.
    """
    key = tuple(tuple(sorted(map(id, objects.get(f, ())))) for f in SchemaModel.model_fields)
    model = shared.get(key)
    if model is None:
        model = shared[key] = build_model(objects)
    return model


def build_model(objects: dict[str, list[Node]]) -> SchemaModel:
    """Return the SchemaModel of one schema's objects, as the readers found them."""
    model = SchemaModel.model_validate(objects)
    relations = {t.name for t in model.tables} | {v.name for v in model.views}
    relations |= {m.name for m in model.materialized_views}
    # Objects on a relation the model leaves out (an extension member, a foreign table)
    # are left out with it; the relation itself is reported or belongs to the extension.
    kept = {
        collection: tuple(o for o in getattr(model, collection) if o.table in relations)
        for collection in _ON_RELATION
    }
    return model.model_copy(update=kept)
