"""Indexes that do not back a constraint (sql/indexes.sql)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pglast
import psycopg
from pglast import ast

from ..ident import quote_ident
from ..model import Index, IndexKey
from .found import Found
from .queries import fetch
from .text import relativize, relativize_opt, strip_outer_parens

# pg_index.indoption bits (src/include/catalog/pg_index.h).
INDOPTION_DESC = 1
INDOPTION_NULLS_FIRST = 2


@dataclass(frozen=True)
class IndexRow:
    """One row of sql/indexes.sql; columns has one entry per attribute, NULL for expressions."""

    schema_name: str
    name: str
    table_name: str
    is_unique: bool
    method: str
    key_count: int
    columns: list[str | None]
    expressions: list[str | None]
    options: list[int]
    predicate: str | None
    nulls_not_distinct: bool
    definition: str
    comment: str | None


@dataclass(frozen=True)
class KeyExtras:
    """What ruleutils prints for one key only when it is not the default."""

    opclass: str | None
    collation: str | None


def _names(nodes: tuple[ast.String, ...] | None) -> list[str]:
    return [str(n.sval) for n in nodes or ()]


def key_extras(definition: str, schema: str) -> list[KeyExtras]:
    """Return the non-default opclass and collation of each key of pg_get_indexdef's text.

    Whether an opclass or collation is the default depends on the key's type, which the
    catalog does not store for expression keys; ruleutils has already decided, so read its
    decision back instead of guessing: an opclass or COLLATE appears only when not default.
    """
    stmt = pglast.parse_sql(definition)[0].stmt
    assert isinstance(stmt, ast.IndexStmt)
    extras = []
    for elem in stmt.indexParams or ():
        opclass = _names(elem.opclass)
        collation = _names(elem.collation)
        extras.append(KeyExtras(
            opclass=relativize(".".join(quote_ident(n) for n in opclass), schema)
            if opclass else None,
            collation=collation[-1] if collation else None,
        ))
    return extras


def key_order(option: int) -> tuple[Literal["desc"] | None, Literal["first", "last"] | None]:
    """Return (order, nulls) from indoption, each None when it is the default.

    ASC sorts NULLs last and DESC sorts them first unless told otherwise.
    """
    desc = bool(option & INDOPTION_DESC)
    nulls_first = bool(option & INDOPTION_NULLS_FIRST)
    if desc:
        return "desc", None if nulls_first else "last"
    return None, "first" if nulls_first else None


def build_keys(row: IndexRow) -> tuple[IndexKey, ...]:
    """Return the key columns and expressions of one index, in order."""
    keys = []
    extras = key_extras(row.definition, row.schema_name)
    for k in range(row.key_count):
        order, nulls = key_order(row.options[k])
        expression = row.expressions[k]
        keys.append(IndexKey(
            column=row.columns[k],
            expression=None if expression is None
            else strip_outer_parens(relativize(expression, row.schema_name)),
            order=order,
            nulls=nulls,
            opclass=extras[k].opclass,
            collation=extras[k].collation,
        ))
    return tuple(keys)


def build_index(row: IndexRow) -> Index:
    """Return the model Index of one catalog index, relative to its schema."""
    include = row.columns[row.key_count:]
    return Index(
        name=row.name,
        table=row.table_name,
        keys=build_keys(row),
        unique=row.is_unique,
        method=row.method,
        include=tuple(c for c in include if c is not None),
        where=relativize_opt(row.predicate, row.schema_name),
        nulls_not_distinct=row.nulls_not_distinct,
        comment=row.comment,
    )


def read(conn: psycopg.Connection[Any], schemas: Sequence[str], found: Found) -> None:
    """Read every stand-alone index of `schemas` into `found`."""
    for row in fetch(conn, "indexes", IndexRow, schemas):
        found.add(row.schema_name, "indexes", build_index(row))
