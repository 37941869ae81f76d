"""Row-level security policies (sql/policies.sql)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import psycopg

from ..model import Policy
from ..model.policy import Command
from .found import Found
from .queries import fetch
from .text import relativize_opt

COMMANDS: dict[str, Command] = {
    "*": "all", "r": "select", "a": "insert", "w": "update", "d": "delete",
}


class PolicyRow(NamedTuple):
    """One row of sql/policies.sql."""

    schema_name: str
    table_name: str
    name: str
    command: str
    permissive: bool
    roles: list[str]
    using_expr: str | None
    with_check: str | None
    comment: str | None


def build_policy(row: PolicyRow) -> Policy:
    """Return the model Policy, roles sorted, expressions relative to the schema."""
    return Policy(
        table=row.table_name,
        name=row.name,
        command=COMMANDS[row.command],
        permissive=row.permissive,
        roles=tuple(sorted(row.roles)),
        using=relativize_opt(row.using_expr, row.schema_name),
        with_check=relativize_opt(row.with_check, row.schema_name),
        comment=row.comment,
    )


def read(conn: psycopg.Connection[Any], schemas: Sequence[str], found: Found) -> None:
    """Read every policy of `schemas` into `found`."""
    for row in fetch(conn, "policies", PolicyRow._make, schemas):
        found.add(row.schema_name, "policies", build_policy(row))
