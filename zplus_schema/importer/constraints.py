"""Place each constraint where the YAML says it most briefly: on its column or on the table.

A short form on a column (`primary_key: true`, `unique: true`, `check:`, `references:`)
creates a constraint with PostgreSQL's default name, so a constraint takes it only when it
has that name and no option the short form cannot say; every other one is written under the
table with its name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Check, Exclusion, ForeignKey, PrimaryKey, Table, Unique
from .context import ImportContext
from .yamlemit import Flow


@dataclass
class Placed:
    """A table's constraints: short forms per column and the table-level entries."""

    on_column: dict[str, dict[str, Any]] = field(default_factory=dict)
    primary_key: list[str] = field(default_factory=list)
    unique: list[Flow] = field(default_factory=list)
    checks: dict[str, str] = field(default_factory=dict)
    foreign_keys: list[Flow] = field(default_factory=list)
    exclusions: dict[str, str] = field(default_factory=dict)

    def column(self, name: str) -> dict[str, Any]:
        """Return the short-form keys collected for one column."""
        return self.on_column.setdefault(name, {})


def place_constraints(table: Table, ctx: ImportContext) -> Placed:
    """Return where each constraint of `table` is written."""
    placed = Placed()
    for con in ctx.model.constraints_of(table.name):
        if con.comment is not None:
            ctx.note(f"comment on constraint {con.name}",
                     "the YAML has no place for constraint comments; not imported", table.name)
        if isinstance(con, PrimaryKey):
            _primary_key(con, placed, ctx)
        elif isinstance(con, Unique):
            _unique(con, placed)
        elif isinstance(con, Check):
            _check(con, table, placed, ctx)
        elif isinstance(con, ForeignKey):
            _foreign_key(con, placed, ctx)
        elif isinstance(con, Exclusion):
            _exclusion(con, placed, ctx)
    return placed


def _primary_key(pk: PrimaryKey, placed: Placed, ctx: ImportContext) -> None:
    if pk.name != f"{pk.table}_pkey":
        ctx.note(f"primary key {pk.name}", f"the YAML always names a primary key "
                 f"{pk.table}_pkey; imported as such (a plan renames it)", pk.table)
    if pk.deferrable:
        ctx.note(f"primary key {pk.name}", "the YAML cannot make a primary key deferrable; "
                 "imported as not deferrable", pk.table)
    if len(pk.columns) == 1:
        placed.column(pk.columns[0])["primary_key"] = True
    else:
        placed.primary_key = list(pk.columns)


def _unique(uq: Unique, placed: Placed) -> None:
    default = f"{uq.table}_{'_'.join(uq.columns)}_key"
    plain = not (uq.deferrable or uq.nulls_not_distinct)
    if len(uq.columns) == 1 and uq.name == default and plain:
        placed.column(uq.columns[0])["unique"] = True
        return
    entry = Flow()
    if uq.name != default:
        entry["name"] = uq.name
    entry["columns"] = list(uq.columns)
    _flags(entry, nulls_not_distinct=uq.nulls_not_distinct, deferrable=uq.deferrable,
           initially_deferred=uq.initially_deferred)
    placed.unique.append(entry)


def _check(ck: Check, table: Table, placed: Placed, ctx: ImportContext) -> None:
    if ck.no_inherit:
        ctx.note(f"check {ck.name}", "the YAML cannot say NO INHERIT; imported without it",
                 table.name)
    column = next((c for c in table.column_names if ck.name == f"{table.name}_{c}_check"), None)
    if column is not None and "check" not in placed.column(column):
        placed.column(column)["check"] = ck.expression
    else:
        placed.checks[ck.name] = ck.expression


def _foreign_key(fk: ForeignKey, placed: Placed, ctx: ImportContext) -> None:
    ctx.check_reach(fk.ref_table, f"foreign key {fk.name}", fk.table)
    default = f"{fk.table}_{'_'.join(fk.columns)}_fkey"
    if len(fk.columns) == 1 and fk.name == default and not fk.deferrable:
        keys = placed.column(fk.columns[0])
        keys["references"] = reference_text(fk, ctx)
        _actions(keys, fk)
        return
    entry = Flow()
    if fk.name != default:
        entry["name"] = fk.name
    entry["columns"] = list(fk.columns)
    ref = Flow(table=fk.ref_table.name)
    if not ctx.references_pk(fk) or fk.ref_table.schema_name is not None:
        ref["columns"] = list(fk.ref_columns)
    if fk.ref_table.schema_name is not None:
        ref["schema"] = fk.ref_table.schema_name
    entry["references"] = ref
    _actions(entry, fk)
    _flags(entry, deferrable=fk.deferrable, initially_deferred=fk.initially_deferred)
    placed.foreign_keys.append(entry)


def reference_text(fk: ForeignKey, ctx: ImportContext) -> str:
    """Return the `references:` short form: `users`, `users(code)`, `public.tenants(id)`."""
    columns = f"({', '.join(fk.ref_columns)})"
    if fk.ref_table.schema_name is not None:
        return f"{fk.ref_table}{columns}"
    return fk.ref_table.name if ctx.references_pk(fk) else fk.ref_table.name + columns


def _actions(keys: dict[str, Any], fk: ForeignKey) -> None:
    """Add on_delete/on_update when they are not the default `no action`."""
    if fk.on_delete != "no action":
        keys["on_delete"] = fk.on_delete
    if fk.on_update != "no action":
        keys["on_update"] = fk.on_update


def _flags(keys: dict[str, Any], **flags: bool) -> None:
    """Add the flags that are true (every one defaults to false)."""
    keys.update({name: True for name, value in flags.items() if value})


def _exclusion(ex: Exclusion, placed: Placed, ctx: ImportContext) -> None:
    if ex.deferrable:
        ctx.note(f"exclusion {ex.name}", "the YAML cannot make an exclusion deferrable; "
                 "imported as not deferrable", ex.table)
    placed.exclusions[ex.name] = ex.definition

