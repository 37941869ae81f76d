"""Enum types (sql/enums.sql) and domains (sql/domains.sql)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import psycopg

from ..model import Domain, EnumType
from .found import Found
from .queries import fetch
from .text import relativize, relativize_opt, unwrap_check


class EnumRow(NamedTuple):
    """One row of sql/enums.sql."""

    schema_name: str
    name: str
    labels: list[str]
    comment: str | None


class DomainRow(NamedTuple):
    """One row of sql/domains.sql; check_names and check_defs are parallel arrays."""

    schema_name: str
    name: str
    base_type: str
    nullable: bool
    default_expr: str | None
    collation: str | None
    check_names: list[str]
    check_defs: list[str]
    comment: str | None


def build_enum(row: EnumRow) -> EnumType:
    """Return the model EnumType; label order is the catalog's enumsortorder."""
    return EnumType(name=row.name, values=tuple(row.labels), comment=row.comment)


def build_domain(row: DomainRow) -> Domain:
    """Return the model Domain, its checks as (name, expression) sorted by name."""
    own = row.schema_name
    checks = sorted(
        (name, relativize(unwrap_check(definition), own))
        for name, definition in zip(row.check_names, row.check_defs, strict=True)
    )
    return Domain(
        name=row.name,
        type=relativize(row.base_type, own),
        nullable=row.nullable,
        default=relativize_opt(row.default_expr, own),
        collation=row.collation,
        checks=tuple(checks),
        comment=row.comment,
    )


def read(conn: psycopg.Connection[Any], schemas: Sequence[str], found: Found) -> None:
    """Read every enum type and domain of `schemas` into `found`."""
    for enum in fetch(conn, "enums", EnumRow._make, schemas):
        found.add(enum.schema_name, "enums", build_enum(enum))
    for domain in fetch(conn, "domains", DomainRow._make, schemas):
        found.add(domain.schema_name, "domains", build_domain(domain))
