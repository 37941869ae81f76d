"""Explicit renames: rewrite the live model as if the rename had run, and say so."""

from __future__ import annotations

from collections.abc import Mapping

from ..model import SchemaModel, Table
from ..model.base import Node
from .changes import Rename

# ("table", new) -> old and ("column", table, new) -> old, as the loader records them.
Renames = Mapping[tuple[str, ...], str]

TABLE_KEYED = ("constraints", "indexes", "triggers", "policies")


def _retable(obj: Node, old: str, new: str) -> Node:
    if getattr(obj, "table", None) == old:
        return obj.model_copy(update={"table": new})
    return obj


def _rename_table(model: SchemaModel, old: str, new: str) -> SchemaModel:
    tables = tuple(t.model_copy(update={"name": new}) if t.name == old else t
                   for t in model.tables)
    update: dict[str, object] = {"tables": tables}
    for field in TABLE_KEYED:
        update[field] = tuple(_retable(o, old, new) for o in getattr(model, field))
    return SchemaModel(**{**{f: getattr(model, f) for f in SchemaModel.model_fields}, **update})


def _swap(names: tuple[str, ...], old: str, new: str) -> tuple[str, ...]:
    return tuple(new if n == old else n for n in names)


def _rename_column(model: SchemaModel, table: str, old: str, new: str) -> SchemaModel:
    def fix_table(t: Table) -> Table:
        if t.name != table:
            return t
        cols = tuple(c.model_copy(update={"name": new}) if c.name == old else c for c in t.columns)
        return t.model_copy(update={"columns": cols})

    constraints = []
    for c in model.constraints:
        if c.table == table and hasattr(c, "columns"):
            c = c.model_copy(update={"columns": _swap(c.columns, old, new)})
        constraints.append(c)
    indexes = []
    for i in model.indexes:
        if i.table == table:
            keys = tuple(k.model_copy(update={"column": new}) if k.column == old else k
                         for k in i.keys)
            i = i.model_copy(update={"keys": keys, "include": _swap(i.include, old, new)})
        indexes.append(i)
    data = {f: getattr(model, f) for f in SchemaModel.model_fields}
    data.update(tables=tuple(fix_table(t) for t in model.tables),
                constraints=tuple(constraints), indexes=tuple(indexes))
    return SchemaModel(**data)


def apply_renames(live: SchemaModel, desired: SchemaModel,
                  renames: Renames) -> tuple[SchemaModel, list[Rename]]:
    """Return the live model with applicable renames done, and the Rename changes.

    A rename applies only when the old name exists live and the new one does not, so a
    rename that already ran is not repeated.
    """
    changes: list[Rename] = []
    for key, old in sorted(renames.items()):
        if key[0] == "table":
            new = key[1]
            if live.table(old) and not live.table(new) and desired.table(new):
                live = _rename_table(live, old, new)
                changes.append(Rename("tables", old, new))
    for key, old in sorted(renames.items()):
        if key[0] == "column":
            table, new = key[1], key[2]
            t = live.table(table)
            if t and t.column(old) and not t.column(new):
                live = _rename_column(live, table, old, new)
                changes.append(Rename("columns", old, new, table=table))
    return live, changes
