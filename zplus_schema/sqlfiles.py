"""Catalog and registry SQL lives in `.sql` files next to the code that runs it."""

from __future__ import annotations

from importlib import resources


def read_sql(package: str, name: str) -> str:
    """Return the text of `sql/NAME.sql` inside `package` (e.g. `zplus_schema.fleet`)."""
    return resources.files(package).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")
