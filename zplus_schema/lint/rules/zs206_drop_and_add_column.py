"""ZS206: a column dropped and another of the same type added: a rename without renamed_from."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Table
from .. import anchors
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import ChangeSet


def _keys(cs: ChangeSet, kind: str, action: str) -> set[str]:
    return {s.key for s in cs.steps if s.kind == kind and s.action == action}


def _shape(table: Table) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((c.name, c.type) for c in table.columns))


def _columns(cs: ChangeSet) -> Iterator[Hit]:
    dropped, added = _keys(cs, "column", "drop"), _keys(cs, "column", "create")
    for key in sorted(dropped):
        table_name, _, old_name = key.partition(".")
        old_table, new_table = cs.live.table(table_name), cs.desired.table(table_name)
        old = old_table.column(old_name) if old_table else None
        if old is None or new_table is None:
            continue
        for new in new_table.columns:
            if f"{table_name}.{new.name}" in added and new.type == old.type:
                yield Hit(f"drops {key} and adds {table_name}.{new.name} of the same type "
                          f"({new.type}): if this is a rename, write renamed_from: {old_name} "
                          f"on {new.name}, or the data of {old_name} is lost",
                          f"column {table_name}.{new.name}",
                          anchors.column(table_name, new.name))


def _tables(cs: ChangeSet) -> Iterator[Hit]:
    created = _keys(cs, "table", "create")
    for old_name in sorted(_keys(cs, "table", "drop") - created):
        old = cs.live.table(old_name)
        for new_name in sorted(created):
            new = cs.desired.table(new_name)
            if old is not None and new is not None and _shape(new) == _shape(old):
                yield Hit(f"drops table {old_name} and creates {new_name} with the same "
                          f"columns: if this is a rename, write renamed_from: {old_name} on "
                          f"{new_name}, or every row of {old_name} is lost",
                          f"table {new_name}", anchors.table(new_name))


def check(cs: ChangeSet) -> Iterator[Hit]:
    """Report drop + add pairs that look like renames written without renamed_from."""
    yield from _columns(cs)
    yield from _tables(cs)


RULE = Rule(
    code="ZS206",
    name="drop-and-add-column",
    severity=Severity.WARNING,
    summary="Drop and add of a same-typed column in one plan (a rename without `renamed_from`)",
    why="The tool never guesses renames: renaming a column (or table) in YAML without "
        "`renamed_from:` plans a DROP of the old one, deleting its data, and an ADD of an "
        "empty new one. When one plan drops a column and adds another of the same type to "
        "the same table, that is almost always what happened.",
    bad="""
# live: schema/tenant/example.yaml
tables:
  customers:
    comment: End customers
    columns:
      id: {type: uuid, primary_key: true}
      phone: varchar(20)
# file: schema/tenant/example.yaml
tables:
  customers:
    comment: End customers
    columns:
      id: {type: uuid, primary_key: true}
      phone_number: varchar(20)
""",
    good="""
# live: schema/tenant/example.yaml
tables:
  customers:
    comment: End customers
    columns:
      id: {type: uuid, primary_key: true}
      phone: varchar(20)
# file: schema/tenant/example.yaml
tables:
  customers:
    comment: End customers
    columns:
      id: {type: uuid, primary_key: true}
      phone_number: {type: varchar(20), renamed_from: phone}
""",
    check_change=check,
)
