"""Views and materialized views (sql/views.sql)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import psycopg

from ..model import MaterializedView, View
from .found import Found
from .queries import fetch
from .text import relativize


class ViewRow(NamedTuple):
    """One row of sql/views.sql; kind is relkind 'v' or 'm'."""

    schema_name: str
    name: str
    kind: str
    query: str
    options: list[str] | None
    comment: str | None


def view_query(row: ViewRow) -> str:
    """Return pg_get_viewdef's query, relative, without the trailing `;` and outer blanks."""
    return relativize(row.query, row.schema_name).strip().removesuffix(";").strip()


def build_options(options: list[str] | None) -> tuple[tuple[str, str], ...]:
    """Return reloptions' `name=value` entries as sorted (name, value) pairs."""
    pairs = (entry.split("=", 1) for entry in options or ())
    return tuple(sorted((name, value) for name, value in pairs))


def read(conn: psycopg.Connection[Any], schemas: Sequence[str], found: Found) -> None:
    """Read every view and materialized view of `schemas` into `found`."""
    for row in fetch(conn, "views", ViewRow._make, schemas):
        if row.kind == "v":
            view = View(name=row.name, query=view_query(row),
                        options=build_options(row.options), comment=row.comment)
            found.add(row.schema_name, "views", view)
        else:
            mview = MaterializedView(name=row.name, query=view_query(row), comment=row.comment)
            found.add(row.schema_name, "materialized_views", mview)
