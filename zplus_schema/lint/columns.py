"""Column types as PostgreSQL reads them, for the rules about types."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..model import Column, SchemaModel, Table
from . import anchors
from .finding import Hit
from .sqltext import TypeInfo, type_info


def typed_columns(model: SchemaModel) -> Iterator[tuple[Table, Column, TypeInfo]]:
    """Yield (table, column, parsed type) of every column whose type parses."""
    for table in model.tables:
        if table.partition_of:
            continue  # a partition has its parent's columns: report them once, there
        for col in table.columns:
            info = type_info(col.type)
            if info is not None:
                yield table, col, info


def builtin(info: TypeInfo, *names: str) -> bool:
    """Return True when the type is one of the built-in `names` (not a same-named own type)."""
    return info.name in names and info.schema in (None, "pg_catalog")


def type_hits(model: SchemaModel, matches: Callable[[TypeInfo], bool],
              message: Callable[[Table, Column], str]) -> Iterator[Hit]:
    """Yield a hit for each column (and domain) whose type matches."""
    for table, col, info in typed_columns(model):
        if matches(info):
            yield Hit(message(table, col), f"column {table.name}.{col.name}",
                      anchors.column(table.name, col.name))
    for dom in model.domains:
        base = type_info(dom.type)
        if base is not None and matches(base):
            yield Hit(f"domain {dom.name} is based on {dom.type}: every column of the "
                      "domain inherits the problem", f"domain {dom.name}",
                      anchors.type_(dom.name))
