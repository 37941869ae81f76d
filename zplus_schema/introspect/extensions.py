"""Extensions installed into an introspected schema (sql/extensions.sql)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import psycopg

from ..model import Extension
from .found import Found
from .queries import fetch


class ExtensionRow(NamedTuple):
    """One row of sql/extensions.sql."""

    schema_name: str
    name: str
    version: str


def read(conn: psycopg.Connection[Any], schemas: Sequence[str], found: Found) -> None:
    """Read the extensions whose objects live in one of `schemas` into `found`.

    schema_name stays None: the model is relative, the extension lives in its own schema.
    """
    for row in fetch(conn, "extensions", ExtensionRow._make, schemas):
        found.add(row.schema_name, "extensions", Extension(name=row.name, version=row.version))
