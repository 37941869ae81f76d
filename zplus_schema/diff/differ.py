"""One generic differ by key over every collection of a schema model."""

from __future__ import annotations

from ..model import SchemaModel
from ..model.base import Node
from .changes import Add, Alter, Change, Drop, Rename, key_text
from .renames import Renames, apply_renames, pair_renames

COLLECTIONS = tuple(SchemaModel.model_fields)


def diff_collection(name: str, old: tuple[Node, ...], new: tuple[Node, ...]) -> list[Change]:
    """Return Add/Drop/Alter for one collection, compared by key then by value."""
    old_by = {key_text(o): o for o in old}
    new_by = {key_text(n): n for n in new}
    changes: list[Change] = []
    for key in sorted(old_by.keys() | new_by.keys()):
        before, after = old_by.get(key), new_by.get(key)
        if before is None and after is not None:
            changes.append(Add(name, after))
        elif after is None and before is not None:
            changes.append(Drop(name, before))
        elif before != after and before is not None and after is not None:
            changes.append(Alter(name, before, after))
    return changes


def diff_schema(live: SchemaModel, desired: SchemaModel,
                renames: Renames | None = None) -> list[Change]:
    """Return every change that turns `live` into `desired` (renames first)."""
    renamed: list[Rename] = []
    if renames:
        live, renamed = apply_renames(live, desired, renames)
    changes: list[Change] = list(renamed)
    for name in COLLECTIONS:
        changes += diff_collection(name, getattr(live, name), getattr(desired, name))
    return pair_renames(changes)
