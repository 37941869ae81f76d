"""Foreign keys in the way of a change under them: dropped before it and added again after.

PostgreSQL ties a foreign key to one unique index of the referenced table (dropping that
key fails: "constraint ... depends on index ...") and re-checks it after every type change
of its columns on either side (a first side retyped alone, say text -> integer, fails:
"foreign key constraint ... cannot be implemented"). Such a foreign key is dropped in the
pre-drop phase and, when the desired schema keeps it, added again once the keys and column
types are in place.
"""

from __future__ import annotations

from typing import Any

from ..diff import Alter, Change, Drop, key_text
from ..model import ForeignKey, Index, PrimaryKey, SchemaModel, Table, Unique
from .context import PlanContext


def _core_changed(old: Any, new: Any) -> bool:
    """Return True when an object changes in more than its comment."""
    bare = {"comment": None}
    return bool(old.model_copy(update=bare) != new.model_copy(update=bare))


def _disturbed_keys(ctx: PlanContext, changes: list[Change]) -> set[tuple[str, str]]:
    """Return (collection, key) of live keys and indexes this plan drops or re-creates."""
    out = {(coll, key) for coll, key in ctx.recreated if coll in ("constraints", "indexes")}
    for ch in changes:
        if ch.collection not in ("constraints", "indexes"):
            continue
        if isinstance(ch, Drop) or (isinstance(ch, Alter) and _core_changed(ch.old, ch.new)):
            out.add((ch.collection, key_text(ch.old if isinstance(ch, Drop) else ch.new)))
    return out


def _candidate_keys(live: SchemaModel, fk: ForeignKey) -> list[tuple[str, str]]:
    """Return (collection, key) of every live key the foreign key may stand on.

    PostgreSQL picks one unique index whose columns are the referenced column set; which
    one is not in the model, so every such key counts.
    """
    wanted = set(fk.ref_columns)
    found: list[tuple[str, str]] = []
    for c in live.constraints_of(fk.ref_table.name):
        if isinstance(c, PrimaryKey | Unique) and set(c.columns) == wanted:
            found.append(("constraints", key_text(c)))
    for i in live.indexes:
        if (isinstance(i, Index) and i.table == fk.ref_table.name and i.unique
                and i.where is None and all(k.column for k in i.keys)
                and set(i.columns) == wanted):
            found.append(("indexes", key_text(i)))
    return found


def _retyped_columns(changes: list[Change]) -> set[tuple[str, str]]:
    """Return (table, column) of every column whose type changes."""
    out: set[tuple[str, str]] = set()
    for ch in changes:
        if isinstance(ch, Alter) and isinstance(ch.old, Table) and isinstance(ch.new, Table):
            new_types = {c.name: c.type for c in ch.new.columns}
            out |= {(ch.key, c.name) for c in ch.old.columns
                    if c.name in new_types and new_types[c.name] != c.type}
    return out


def _in_the_way(fk: ForeignKey, disturbed: set[tuple[str, str]],
                retyped: set[tuple[str, str]], live: SchemaModel) -> bool:
    """Return True when a key under the foreign key or one of its columns changes."""
    if fk.ref_table.schema_name is not None:
        return False  # another schema's key is not this plan's business
    ref = fk.ref_table.name
    if any((fk.table, c) in retyped for c in fk.columns) or any(
            (ref, c) in retyped for c in fk.ref_columns):
        return True
    return any(k in disturbed for k in _candidate_keys(live, fk))


def rebuild_foreign_keys(ctx: PlanContext, changes: list[Change]) -> list[Change]:
    """Return drop + add for unchanged foreign keys in the way; mark dropped ones to go early.

    A foreign key of a dropped table would go with its table at the end of the plan, after
    the key or column type it depends on has changed: it is dropped on its own first.
    """
    disturbed = _disturbed_keys(ctx, changes)
    retyped = _retyped_columns(changes)
    touched = {(ch.collection, ch.key) for ch in changes}
    desired = {key_text(fk): fk for fk in ctx.desired.foreign_keys()}
    extra: list[Change] = []
    for fk in ctx.live.foreign_keys():
        key = key_text(fk)
        if ("constraints", key) in ctx.recreated or not _in_the_way(fk, disturbed, retyped,
                                                                     ctx.live):
            continue
        if key not in desired:
            ctx.early_fk_drops.add(key)
        elif ("constraints", key) not in touched:
            extra.append(Alter("constraints", fk, desired[key]))
            ctx.recreated.add(("constraints", key))
    return extra
