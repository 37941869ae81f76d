"""Indexes that do not back a constraint (sql/indexes.sql)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Literal, NamedTuple

import psycopg
from pglast.parser import parse_sql_json

from ..ident import quote_ident
from ..model import Index, IndexKey
from .found import Found
from .queries import fetch
from .text import relativize, relativize_opt, strip_outer_parens

# pg_index.indoption bits (src/include/catalog/pg_index.h).
INDOPTION_DESC = 1
INDOPTION_NULLS_FIRST = 2


class IndexRow(NamedTuple):
    """One row of sql/indexes.sql; attnums has one entry per attribute, 0 for expressions."""

    schema_name: str
    name: str
    table_name: str
    is_unique: bool
    method: str
    key_count: int
    table_oid: int
    attnums: list[int]
    expressions: list[str | None] | None
    options: list[int]
    predicate: str | None
    nulls_not_distinct: bool
    definition: str
    comment: str | None


class IndexSpec(NamedTuple):
    """What a model Index is built from: a row made relative to its schema, columns named.

    expressions has one entry per key (None for a column).
    """

    name: str
    table_name: str
    is_unique: bool
    method: str
    key_count: int
    columns: tuple[str | None, ...]
    expressions: tuple[str | None, ...]
    options: tuple[int, ...]
    predicate: str | None
    nulls_not_distinct: bool
    definition: str
    comment: str | None


class KeyExtras(NamedTuple):
    """What ruleutils prints for one key only when it is not the default."""

    opclass: str | None
    collation: str | None


def _names(nodes: list[dict[str, Any]] | None) -> list[str]:
    return [str(n["String"].get("sval", "")) for n in nodes or ()]


def key_extras(definition: str) -> list[KeyExtras]:
    """Return the non-default opclass and collation of each key of pg_get_indexdef's text.

    Whether an opclass or collation is the default depends on the key's type, which the
    catalog does not store for expression keys; ruleutils has already decided, so read its
    decision back instead of guessing: an opclass or COLLATE appears only when not default.
    The definition is already relative to the index's schema. pglast's JSON parse tree is
    read as plain dicts: much cheaper than building its AST objects.
    """
    stmt = json.loads(parse_sql_json(definition))["stmts"][0]["stmt"]["IndexStmt"]
    extras = []
    for param in stmt.get("indexParams", ()):
        elem = param["IndexElem"]
        opclass = _names(elem.get("opclass"))
        collation = _names(elem.get("collation"))
        extras.append(KeyExtras(
            opclass=".".join(quote_ident(n) for n in opclass) if opclass else None,
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


def index_spec(row: IndexRow, found: Found) -> IndexSpec:
    """Return the relative inputs of a catalog index's model, its columns named."""
    own = row.schema_name
    names = found.attnames.get(row.table_oid, {})
    expressions: tuple[str | None, ...] = (None,) * row.key_count
    if row.expressions is not None:
        expressions = tuple(relativize_opt(e, own) for e in row.expressions)
    return IndexSpec(
        row.name, row.table_name, row.is_unique, row.method, row.key_count,
        tuple(names[n] if n else None for n in row.attnums), expressions, tuple(row.options),
        relativize_opt(row.predicate, own), row.nulls_not_distinct,
        relativize(row.definition, own), row.comment,
    )


def build_keys(spec: IndexSpec) -> tuple[IndexKey, ...]:
    """Return the key columns and expressions of one index, in order."""
    keys = []
    extras = key_extras(spec.definition)
    for k in range(spec.key_count):
        order, nulls = key_order(spec.options[k])
        expression = spec.expressions[k]
        keys.append(IndexKey(
            column=spec.columns[k],
            expression=None if expression is None else strip_outer_parens(expression),
            order=order,
            nulls=nulls,
            opclass=extras[k].opclass,
            collation=extras[k].collation,
        ))
    return tuple(keys)


def build_index(spec: IndexSpec) -> Index:
    """Return the model Index of one catalog index, relative to its schema."""
    include = spec.columns[spec.key_count:]
    return Index(
        name=spec.name,
        table=spec.table_name,
        keys=build_keys(spec),
        unique=spec.is_unique,
        method=spec.method,
        include=tuple(c for c in include if c is not None),
        where=spec.predicate,
        nulls_not_distinct=spec.nulls_not_distinct,
        comment=spec.comment,
    )


def read(conn: psycopg.Connection[Any], schemas: Sequence[str], found: Found) -> None:
    """Read every stand-alone index of `schemas` into `found` (after tables: attnames).

    Equal indexes (the same definitions in several schemas) are built once.
    """
    shared: dict[IndexSpec, Index] = {}
    for row in fetch(conn, "indexes", IndexRow._make, schemas):
        spec = index_spec(row, found)
        index = shared.get(spec)
        if index is None:
            index = shared[spec] = build_index(spec)
        found.add(row.schema_name, "indexes", index)
