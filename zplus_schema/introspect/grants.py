"""Object privileges of schemas, via aclexplode (sql/grants_*.sql, one query per kind)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import psycopg

from ..model.grant import DefaultPrivilege, Grant
from .queries import load_query
from .text import relativize

QUERIES = ("grants_schemas", "grants_relations", "grants_columns", "grants_functions")


class GrantRow(NamedTuple):
    """One row of the sql/grants_*.sql queries."""

    schema_name: str
    object_type: str
    name: str
    column_name: str | None
    grantee: str
    privilege: str
    grant_option: bool
    from_default: bool  # a function without an ACL: PostgreSQL's default EXECUTE to PUBLIC


@dataclass
class SchemaAcl:
    """The grants of one schema and its objects, and which functions have no ACL of their
    own (their PUBLIC EXECUTE is PostgreSQL's default, not a GRANT someone ran)."""

    grants: list[Grant] = field(default_factory=list)
    default_acl: set[str] = field(default_factory=set)


def read_acls(conn: psycopg.Connection[Any], schemas: Sequence[str]) -> dict[str, SchemaAcl]:
    """Return schema -> every grant on it and its objects (owners' own privileges aside).

    Runs in a rolled-back transaction with sql/settings.sql, so function signatures name
    types as the model does, made relative to their schema.
    """
    found: dict[str, dict[tuple[str, ...], Grant]] = {s: {} for s in schemas}
    out = {s: SchemaAcl() for s in schemas}
    with conn.transaction(force_rollback=True):
        conn.execute(load_query("settings"))
        for query in QUERIES:
            for raw in conn.execute(load_query(query), {"schemas": list(schemas)}).fetchall():
                row = GrantRow._make(raw)
                g = Grant(object_type=row.object_type,
                          name=relativize(row.name, row.schema_name), column=row.column_name,
                          grantee=row.grantee, privilege=row.privilege,
                          grant_option=row.grant_option)
                if row.from_default:
                    out[row.schema_name].default_acl.add(g.name)
                seen = found[row.schema_name].get(g.key)
                # Several grantors may grant the same privilege: keep the widest.
                if seen is None or (g.grant_option and not seen.grant_option):
                    found[row.schema_name][g.key] = g
    for schema, grants in found.items():
        out[schema].grants = sorted(grants.values(), key=lambda g: g.key)
    return out


def read_grants(conn: psycopg.Connection[Any], schemas: Sequence[str]) -> dict[str, list[Grant]]:
    """Return schema -> every grant on it and its objects, PostgreSQL's defaults included."""
    return {s: acl.grants for s, acl in read_acls(conn, schemas).items()}


class DefaultRow(NamedTuple):
    """One row of sql/default_privileges.sql."""

    schema_name: str
    object_type: str
    grantee: str
    privilege: str
    grant_option: bool


def read_default_privileges(conn: psycopg.Connection[Any], schemas: Sequence[str]
                            ) -> dict[str, list[DefaultPrivilege]]:
    """Return schema -> the default privileges the current role set in it."""
    out: dict[str, list[DefaultPrivilege]] = {s: [] for s in schemas}
    for raw in conn.execute(load_query("default_privileges"), {"schemas": list(schemas)}):
        row = DefaultRow._make(raw)
        if row.object_type != "other":  # types and schemas: not managed
            out[row.schema_name].append(DefaultPrivilege(
                object_type=row.object_type, grantee=row.grantee,
                privilege=row.privilege, grant_option=row.grant_option))
    return out
