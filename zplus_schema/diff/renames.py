"""Explicit renames: rewrite the live model as if the rename had run, and say so."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import Check, Column, ForeignKey, SchemaModel, Table
from ..model.base import Node
from .changes import Add, Change, Drop, Rename
from .exprs import rename_column_refs

# ("table", new) -> old and ("column", table, new) -> old, as the loader records them.
Renames = Mapping[tuple[str, ...], str]

TABLE_KEYED = ("constraints", "indexes", "triggers", "policies")
# Collections whose objects PostgreSQL can rename in place (ALTER ... RENAME).
RENAMEABLE = ("constraints", "indexes")


def _retable(obj: Node, old: str, new: str) -> Node:
    if getattr(obj, "table", None) == old:
        obj = obj.model_copy(update={"table": new})
    if isinstance(obj, ForeignKey) and obj.ref_table.schema_name is None \
            and obj.ref_table.name == old:
        obj = obj.model_copy(update={"ref_table": obj.ref_table.model_copy(update={"name": new})})
    return obj


def _with(model: SchemaModel, **update: Any) -> SchemaModel:
    return SchemaModel(**{**{f: getattr(model, f) for f in SchemaModel.model_fields}, **update})


def _rename_table(model: SchemaModel, old: str, new: str) -> SchemaModel:
    tables = tuple(t.model_copy(update={"name": new}) if t.name == old else
                   t.model_copy(update={"partition_of": new}) if t.partition_of == old else t
                   for t in model.tables)
    update: dict[str, object] = {"tables": tables}
    for field in TABLE_KEYED:
        update[field] = tuple(_retable(o, old, new) for o in getattr(model, field))
    return _with(model, **update)


def _swap(names: tuple[str, ...], old: str, new: str) -> tuple[str, ...]:
    return tuple(new if n == old else n for n in names)


def _rename_column(model: SchemaModel, table: str, old: str, new: str) -> SchemaModel:
    """Rename a column and every reference PostgreSQL would follow (keys, expressions)."""
    def expr(text: str | None) -> str | None:
        return rename_column_refs(text, old, new)

    def fix_column(c: Column) -> Column:
        return c.model_copy(update={"name": new if c.name == old else c.name,
                                    "generated": expr(c.generated)})

    tables = tuple(t.model_copy(update={"columns": tuple(fix_column(c) for c in t.columns)})
                   if t.name == table else t for t in model.tables)
    constraints = []
    for c in model.constraints:
        if c.table == table and hasattr(c, "columns"):
            c = c.model_copy(update={"columns": _swap(c.columns, old, new)})
        if isinstance(c, Check) and c.table == table:
            c = c.model_copy(update={"expression": expr(c.expression)})
        if isinstance(c, ForeignKey) and c.ref_table.schema_name is None \
                and c.ref_table.name == table:
            c = c.model_copy(update={"ref_columns": _swap(c.ref_columns, old, new)})
        constraints.append(c)
    indexes = []
    for i in model.indexes:
        if i.table == table:
            keys = tuple(k.model_copy(update={"column": new if k.column == old else k.column,
                                              "expression": expr(k.expression)})
                         for k in i.keys)
            i = i.model_copy(update={"keys": keys, "include": _swap(i.include, old, new),
                                     "where": expr(i.where)})
        indexes.append(i)
    triggers = tuple(tr.model_copy(update={"update_of": _swap(tr.update_of, old, new),
                                           "when": expr(tr.when)})
                     if tr.table == table else tr for tr in model.triggers)
    policies = tuple(p.model_copy(update={"using": expr(p.using),
                                          "with_check": expr(p.with_check)})
                     if p.table == table else p for p in model.policies)
    return _with(model, tables=tables, constraints=tuple(constraints), indexes=tuple(indexes),
                 triggers=triggers, policies=policies)


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
            t: Table | None = live.table(table)
            if t and t.column(old) and not t.column(new):
                live = _rename_column(live, table, old, new)
                changes.append(Rename("columns", old, new, table=table))
    return live, changes


def pair_renames(changes: list[Change]) -> list[Change]:
    """Return changes with each drop + add of an identical constraint or index as a rename.

    After a table or column rename the default names differ (`item_pkey` vs `items_pkey`);
    renaming keeps the index instead of dropping and rebuilding it.
    """
    adds = {id(ch): ch for ch in changes if isinstance(ch, Add) and ch.collection in RENAMEABLE}
    out: list[Change] = []
    paired: set[int] = set()
    for ch in changes:
        if not (isinstance(ch, Drop) and ch.collection in RENAMEABLE):
            continue
        old: Any = ch.old
        for add_id, add in adds.items():
            new: Any = add.new if isinstance(add, Add) else None
            if add_id in paired or add.collection != ch.collection or new.table != old.table:
                continue
            if old.model_copy(update={"name": new.name}) == new:
                paired |= {add_id, id(ch)}
                out.append(Rename(ch.collection, old.name, new.name, table=new.table))
                break
    return out + [ch for ch in changes if id(ch) not in paired]
