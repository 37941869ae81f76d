"""Extensions installed into an introspected schema (sql/extensions.sql)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg

from ..model import Extension
from .found import Found
from .queries import fetch


@dataclass(frozen=True)
class ExtensionRow:
    """One row of sql/extensions.sql."""

    schema_name: str
    name: str
    version: str


def read(conn: psycopg.Connection[Any], schemas: Sequence[str], found: Found) -> None:
    """Read the extensions whose objects live in one of `schemas` into `found`.

    schema_name stays None: the model is relative, the extension lives in its own schema.
    """
    for row in fetch(conn, "extensions", ExtensionRow, schemas):
        found.add(row.schema_name, "extensions", Extension(name=row.name, version=row.version))
