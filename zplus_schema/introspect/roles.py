"""Cluster roles and memberships (sql/roles.sql, sql/memberships.sql)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import psycopg

from ..model.role import Membership, Role
from .queries import load_query


class RoleRow(NamedTuple):
    """One row of sql/roles.sql."""

    name: str
    login: bool
    inherit: bool
    connection_limit: int
    superuser: bool
    createdb: bool
    createrole: bool
    bypassrls: bool
    replication: bool
    comment: str | None


class MembershipRow(NamedTuple):
    """One row of sql/memberships.sql."""

    role: str
    member: str
    admin_option: bool


def read_roles(conn: psycopg.Connection[Any], names: Sequence[str]) -> list[Role]:
    """Return the roles among `names` that exist, with their attributes."""
    rows = conn.execute(load_query("roles"), {"roles": list(names)}).fetchall()
    return [Role(**RoleRow._make(r)._asdict()) for r in rows]


def read_memberships(conn: psycopg.Connection[Any], names: Sequence[str]) -> list[Membership]:
    """Return every membership whose group or member is among `names`."""
    rows = conn.execute(load_query("memberships"), {"roles": list(names)}).fetchall()
    return [Membership(**MembershipRow._make(r)._asdict()) for r in rows]
