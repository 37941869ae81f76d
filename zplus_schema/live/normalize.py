"""PostgreSQL is the normalizer: build the desired objects in a scratch schema, read them back.

Both sides of a diff then come from the same catalog functions on the same server, so they
compare exactly, whatever spelling the YAML used (`now()` vs `CURRENT_TIMESTAMP`,
`varchar` vs `character varying`). The scratch schema lives inside a transaction that is
always rolled back: nothing is left behind, even on error.
"""

from __future__ import annotations

import secrets
from typing import Any

import psycopg
from psycopg import sql

from ..compile import Target, compile_schema, render_script
from ..errors import ZplusError
from ..introspect import Introspected, introspect, relativize
from ..model import Extension, SchemaModel
from .normcache import NormCache


class _Rollback(Exception):
    """Raised to leave the scratch transaction without committing."""


def foreign(ext: Extension, target_schema: str | None) -> bool:
    """Return True for an extension declared into a schema other than the target."""
    return ext.schema_name not in (None, target_schema)


def missing_foreign_extensions(conn: psycopg.Connection[tuple[object, ...]],
                               desired: SchemaModel, target_schema: str,
                               ) -> list[Extension]:
    """Return the extensions declared into another schema that the server lacks.

    They are not part of the target schema (nor of its fingerprint): the plan creates them
    first when missing, and leaves them alone otherwise.
    """
    rows = conn.execute("SELECT extname::text FROM pg_catalog.pg_extension").fetchall()
    installed = {str(r[0]) for r in rows}
    return [e for e in desired.extensions
            if foreign(e, target_schema) and e.name not in installed]


def _extensions(desired: SchemaModel, live: SchemaModel,
                target_schema: str | None) -> tuple[Extension, ...]:
    """Declared extensions of the target; one without a version accepts the live one."""
    live_by = {e.name: e for e in live.extensions}
    out = []
    for ext in desired.extensions:
        if foreign(ext, target_schema):
            continue
        if ext.version is None and ext.name in live_by:
            ext = ext.model_copy(update={"version": live_by[ext.name].version})
        out.append(ext.model_copy(update={"schema_name": None}))
    return tuple(out)


def normalize_and_read(conn: psycopg.Connection[tuple[object, ...]], desired: SchemaModel,
                       live_schemas: list[str], system_schema: str,
                       target_schema: str | None = None, cache: NormCache | None = None,
                       ) -> tuple[SchemaModel, dict[str, Introspected]]:
    """Return (desired as the catalog renders it, live introspection of `live_schemas`).

    One transaction: create the scratch schema, load the desired objects into it,
    introspect it together with the live schemas in one pass, roll back. Declared
    extensions the server lacks are created inside it too (into `target_schema` unless
    they name a schema), so objects that use them load; the rollback removes them again.
    With a `cache` that has the desired model already normalized, only the live schemas
    are read.
    """
    remembered = cache.get("desired", desired) if cache else None
    if remembered is not None:
        live = introspect(conn, live_schemas) if live_schemas else {}
        return _finish(desired, remembered, live, live_schemas, set(), target_schema)
    token = secrets.token_hex(6)
    first, second = f"zplus_scratch_{token}", f"zplus_scratch2_{token}"
    result: dict[str, Introspected] = {}
    added: set[str] = set()
    try:
        with conn.transaction():
            added = _install_extensions(conn, desired.extensions, target_schema)
            _load(conn, desired.model_copy(update={"extensions": ()}), first, system_schema)
            once = _relative_to(introspect(conn, [first])[first].model, target_schema)
            # PostgreSQL's deparsed text is not always a fixed point on the first round
            # (`varchar IN (...)` checks gain casts when re-created from their own text). The
            # plan's SQL is generated from this model, so build it once more from its own
            # text: what apply creates then reads back exactly as planned.
            _load(conn, once, second, system_schema)
            result = introspect(conn, [second, *live_schemas])
            raise _Rollback
    except _Rollback:
        pass
    normalized = _relative_to(result.pop(second).model, target_schema)
    if cache is not None and not added:  # with extensions made for it, not reusable
        cache.put("desired", desired, normalized)
    return _finish(desired, normalized, result, live_schemas, added, target_schema)


def _finish(desired: SchemaModel, normalized: SchemaModel, live: dict[str, Introspected],
            live_schemas: list[str], added: set[str], target_schema: str | None,
            ) -> tuple[SchemaModel, dict[str, Introspected]]:
    """Drop what the scratch installed from the live models; give the desired model the
    declared extensions as the live target has them."""
    for read in live.values():  # what the scratch installed is not live
        kept = tuple(e for e in read.model.extensions if e.name not in added)
        read.model = read.model.model_copy(update={"extensions": kept})
    live_ext = live[live_schemas[0]].model if live_schemas else SchemaModel()
    fields = {f: getattr(normalized, f) for f in SchemaModel.model_fields}
    fields["extensions"] = _extensions(desired, live_ext, target_schema)
    return SchemaModel(**fields), live


def canonical_live(conn: psycopg.Connection[tuple[object, ...]], live: SchemaModel,
                   system_schema: str, target_schema: str,
                   cache: NormCache | None = None) -> SchemaModel:
    """Return the live model as the server renders it when re-created from its own text.

    Objects created outside the tool (a hand-written `varchar IN (...)` check) read back in
    their first-round form, which differs from the desired side's fixed point although
    PostgreSQL builds the same thing from both. Comparing against the live schema rebuilt
    once in a rolled-back scratch schema removes those false differences. When the live
    objects do not rebuild there (e.g. they use types of an extension installed in the
    target schema), the model is returned as it was.
    """
    remembered = cache.get("live", live) if cache else None
    if remembered is not None:
        return remembered.model_copy(update={"extensions": live.extensions})
    scratch = f"zplus_scratch3_{secrets.token_hex(6)}"
    result: SchemaModel | None = None
    try:
        with conn.transaction():
            _load(conn, live.model_copy(update={"extensions": ()}), scratch, system_schema)
            result = _relative_to(introspect(conn, [scratch])[scratch].model, target_schema)
            raise _Rollback
    except (_Rollback, ZplusError):
        pass
    if result is None:
        return live
    if cache is not None:
        cache.put("live", live, result)
    return result.model_copy(update={"extensions": live.extensions})


def _install_extensions(conn: psycopg.Connection[tuple[object, ...]],
                        extensions: tuple[Extension, ...], target_schema: str | None,
                        ) -> set[str]:
    """Create, in the open scratch transaction, the declared extensions not installed yet."""
    rows = conn.execute("SELECT extname::text FROM pg_catalog.pg_extension").fetchall()
    installed = {str(r[0]) for r in rows}
    added: set[str] = set()
    for ext in extensions:
        schema = ext.schema_name or target_schema
        if ext.name in installed or schema is None:
            continue
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        statement = sql.SQL("CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {}").format(
            sql.Identifier(ext.name), sql.Identifier(schema))
        if ext.version:
            statement += sql.SQL(" VERSION {}").format(sql.Literal(ext.version))
        try:
            with conn.transaction():
                conn.execute(statement)
        except psycopg.Error as exc:
            raise ZplusError(f"extension {ext.name} cannot be created: {_first(exc)}",
                             hint="install it (or have a superuser do so) first") from exc
        added.add(ext.name)
    return added


# Model fields holding text the user wrote verbatim: never rewritten.
_VERBATIM = frozenset({"body", "comment"})


def _relative_to(model: SchemaModel, schema: str | None) -> SchemaModel:
    """Return the scratch model with the target schema's qualifier dropped.

    The scratch stands in for the target: what it reads from the target schema (the
    objects of an extension installed there) must read as the live target reads it, `x`,
    not `target.x`.
    """
    if schema is None:
        return model

    def walk(value: Any, key: str = "") -> Any:
        if isinstance(value, str) and key not in _VERBATIM:
            return relativize(value, schema)
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [walk(v, key) for v in value]
        return value

    return SchemaModel.model_validate(walk(model.model_dump()))


def _load(conn: psycopg.Connection[tuple[object, ...]], model: SchemaModel, schema: str,
          system_schema: str) -> None:
    """Create `model` in a new schema, or say plainly why it does not load here."""
    target = Target(schema, system_schema)
    script = render_script(compile_schema(model, target), target, "scratch")
    try:
        with conn.transaction():
            conn.execute(script)
            conn.execute(sql.SQL("SET LOCAL search_path TO pg_catalog"))
    except psycopg.errors.InsufficientPrivilege as exc:
        raise ZplusError(
            f"permission denied while normalizing the plan: {_first(exc)}",
            hint="planning creates (and rolls back) a scratch schema: the user needs CREATE "
                 "on the database and on the objects the definitions reference") from exc
    except psycopg.Error as exc:
        raise ZplusError(
            f"the desired objects do not load on this server: {_first(exc)}",
            hint="objects they depend on outside the schema (system schema functions, "
                 "roles, extensions) must exist first: plan and apply the system "
                 "target before tenants") from exc


def _first(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
