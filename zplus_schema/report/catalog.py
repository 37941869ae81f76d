"""Read the access catalog of a live database: roles, grants, RLS, policies (sql/*.sql)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any, NamedTuple, TypeVar

import psycopg

from ..errors import ZplusError

Row = TypeVar("Row")
Conn = psycopg.Connection[Any]


class RoleRow(NamedTuple):
    """One role of sql/roles.sql."""

    name: str
    login: bool
    superuser: bool
    bypassrls: bool
    createrole: bool
    createdb: bool
    inherit: bool
    connection_limit: int
    bootstrap: bool


class MemberRow(NamedTuple):
    """One membership of sql/memberships.sql: `member` is a member of `role`."""

    role: str
    member: str
    admin: bool
    inherit: bool


class SchemaRow(NamedTuple):
    """One schema privilege of sql/schemas.sql."""

    schema_name: str
    owner: str
    grantee: str | None
    privilege: str | None
    grantable: bool | None


class RelationRow(NamedTuple):
    """One table (or view) of sql/relations.sql."""

    schema_name: str
    name: str
    kind: str
    owner: str
    rls_enabled: bool
    rls_forced: bool
    has_tenant_key: bool


class RelationAclRow(NamedTuple):
    """One table or column privilege of sql/relation_acl.sql."""

    schema_name: str
    name: str
    column_name: str | None
    grantee: str
    privilege: str
    grantable: bool


class FunctionRow(NamedTuple):
    """One EXECUTE privilege (or none) of a function, from sql/functions.sql."""

    schema_name: str
    signature: str
    owner: str
    security_definer: bool
    search_path: str | None
    default_acl: bool
    grantee: str | None
    privilege: str | None
    grantable: bool | None


class PolicyRow(NamedTuple):
    """One policy of sql/policies.sql."""

    schema_name: str
    table_name: str
    name: str
    command: str
    permissive: bool
    roles: list[str]
    using_expr: str | None
    with_check: str | None


class DefaultAclRow(NamedTuple):
    """One default privilege of sql/default_acl.sql."""

    owner: str
    schema_name: str
    object_type: str
    grantee: str
    privilege: str
    grantable: bool


@dataclass
class Catalog:
    """Everything the report reads from the catalog, as rows."""

    system_schema: str
    tenant_prefix: str
    roles: list[RoleRow] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)
    schemas: list[SchemaRow] = field(default_factory=list)
    relations: list[RelationRow] = field(default_factory=list)
    relation_acl: list[RelationAclRow] = field(default_factory=list)
    functions: list[FunctionRow] = field(default_factory=list)
    policies: list[PolicyRow] = field(default_factory=list)
    default_acl: list[DefaultAclRow] = field(default_factory=list)


@cache
def load_query(name: str) -> str:
    """Return the text of report/sql/<name>.sql."""
    return files("zplus_schema.report").joinpath("sql", f"{name}.sql").read_text("utf-8")


def _fetch(conn: Conn, name: str, make: Callable[[Iterable[Any]], Row],
           params: dict[str, str]) -> list[Row]:
    with conn.cursor() as cur:
        cur.execute(load_query(name), params)
        return [make(r) for r in cur.fetchall()]


def read_catalog(conn: Conn, system_schema: str, tenant_prefix: str,
                 tenant_key: str = "tenant_id") -> Catalog:
    """Read roles, memberships, privileges, RLS and policies in one transaction.

    search_path is pg_catalog for the transaction only, so pg_get_expr qualifies every
    name outside pg_catalog the same way on every server and session.
    """
    params = {"system": system_schema, "prefix": tenant_prefix, "tenant_key": tenant_key}
    cat = Catalog(system_schema, tenant_prefix)
    try:
        with conn.transaction():
            conn.execute("SELECT pg_catalog.set_config('search_path', 'pg_catalog', true)")
            cat.roles = _fetch(conn, "roles", RoleRow._make, params)
            cat.members = _fetch(conn, "memberships", MemberRow._make, params)
            cat.schemas = _fetch(conn, "schemas", SchemaRow._make, params)
            cat.relations = _fetch(conn, "relations", RelationRow._make, params)
            cat.relation_acl = _fetch(conn, "relation_acl", RelationAclRow._make, params)
            cat.functions = _fetch(conn, "functions", FunctionRow._make, params)
            cat.policies = _fetch(conn, "policies", PolicyRow._make, params)
            cat.default_acl = _fetch(conn, "default_acl", DefaultAclRow._make, params)
    except psycopg.errors.InsufficientPrivilege as exc:
        raise ZplusError(f"cannot read the catalog: {str(exc).strip().splitlines()[0]}",
                         hint="connect as a role that may read pg_catalog (any role can, "
                              "unless access to it was revoked)") from exc
    return cat
