"""PostgreSQL is the normalizer: build the desired objects in a scratch schema, read them back.

Both sides of a diff then come from the same catalog functions on the same server, so they
compare exactly, whatever spelling the YAML used (`now()` vs `CURRENT_TIMESTAMP`,
`varchar` vs `character varying`). The scratch schema lives inside a transaction that is
always rolled back: nothing is left behind, even on error.
"""

from __future__ import annotations

import secrets

import psycopg
from psycopg import sql

from ..compile import Target, compile_schema, render_script
from ..errors import ZplusError
from ..introspect import Introspected, introspect
from ..model import Extension, SchemaModel


class _Rollback(Exception):
    """Raised to leave the scratch transaction without committing."""


def _extensions(desired: SchemaModel, live: SchemaModel) -> tuple[Extension, ...]:
    """Declared extensions; a declaration without a version accepts the live one."""
    live_by = {e.name: e for e in live.extensions}
    out = []
    for ext in desired.extensions:
        if ext.version is None and ext.name in live_by:
            ext = ext.model_copy(update={"version": live_by[ext.name].version})
        out.append(ext.model_copy(update={"schema_name": None}))
    return tuple(out)


def normalize_and_read(conn: psycopg.Connection[tuple[object, ...]], desired: SchemaModel,
                       live_schemas: list[str], system_schema: str,
                       ) -> tuple[SchemaModel, dict[str, Introspected]]:
    """Return (desired as the catalog renders it, live introspection of `live_schemas`).

    One transaction: create the scratch schema, load the desired objects into it,
    introspect it together with the live schemas in one pass, roll back.
    """
    token = secrets.token_hex(6)
    first, second = f"zplus_scratch_{token}", f"zplus_scratch2_{token}"
    result: dict[str, Introspected] = {}
    try:
        with conn.transaction():
            _load(conn, desired.model_copy(update={"extensions": ()}), first, system_schema)
            once = introspect(conn, [first])[first].model
            # PostgreSQL's deparsed text is not always a fixed point on the first round
            # (`varchar IN (...)` checks gain casts when re-created from their own text). The
            # plan's SQL is generated from this model, so build it once more from its own
            # text: what apply creates then reads back exactly as planned.
            _load(conn, once, second, system_schema)
            result = introspect(conn, [second, *live_schemas])
            raise _Rollback
    except _Rollback:
        pass
    normalized = result[second].model
    live_ext = result[live_schemas[0]].model if live_schemas else SchemaModel()
    fields = {f: getattr(normalized, f) for f in SchemaModel.model_fields}
    fields["extensions"] = _extensions(desired, live_ext)
    return SchemaModel(**fields), {k: v for k, v in result.items() if k != second}


def _load(conn: psycopg.Connection[tuple[object, ...]], model: SchemaModel, schema: str,
          system_schema: str) -> None:
    """Create `model` in a new schema, or say plainly why it does not load here."""
    target = Target(schema, system_schema)
    script = render_script(compile_schema(model, target), target, "scratch")
    try:
        with conn.transaction():
            conn.execute(script)
            conn.execute(sql.SQL("SET LOCAL search_path TO pg_catalog"))
    except psycopg.Error as exc:
        raise ZplusError(
            f"the desired objects do not load on this server: {_first(exc)}",
            hint="objects they depend on outside the schema (system schema functions, "
                 "roles, extensions) must exist first: plan and apply the system "
                 "target before tenants") from exc


def _first(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
