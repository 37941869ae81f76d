"""CREATE TABLE, with primary key, unique and check constraints inline."""

from __future__ import annotations

from ..ident import quote_ident
from ..model import Column, Constraint, ForeignKey, PrimaryKey, SchemaModel, Table, Unique
from .constraint import add_constraint, constraint_clause
from .context import Target
from .statement import Statement

_CONSTRAINT_ORDER = {"primary_key": 0, "unique": 1, "check": 2, "exclusion": 3, "foreign_key": 4}


def column_type(col: Column, target: Target, own_types: set[str]) -> str:
    """Return the column's type, qualified with the target schema when the model defines it."""
    base = col.type.removesuffix("[]")
    if base in own_types:
        return target.q(base) + col.type[len(base):]
    return col.type


def column_sql(col: Column, target: Target, own_types: set[str]) -> str:
    """Return a column definition as it appears in CREATE TABLE or ADD COLUMN."""
    parts = [quote_ident(col.name), column_type(col, target, own_types)]
    if col.collation:
        parts.append(f"COLLATE {quote_ident(col.collation)}")
    if col.identity:
        parts.append(f"GENERATED {col.identity.upper()} AS IDENTITY")
    if col.generated:
        parts.append(f"GENERATED ALWAYS AS ({col.generated}) STORED")
    if col.default is not None:
        parts.append(f"DEFAULT {col.default}")
    if not col.nullable:
        parts.append("NOT NULL")
    return " ".join(parts)


def split_constraints(table: str, model: SchemaModel) -> tuple[list[Constraint],
                                                              list[Constraint]]:
    """Return a table's non-FK constraints as (inline in CREATE TABLE, added after it).

    CREATE TABLE silently merges a key into an earlier one over the same column list (a
    UNIQUE equal to the PRIMARY KEY, or two equal UNIQUEs): one declared constraint would
    never exist. ALTER TABLE ... ADD CONSTRAINT keeps both, so such repeats go there.
    """
    ordered = sorted((c for c in model.constraints_of(table) if not isinstance(c, ForeignKey)),
                     key=lambda c: (_CONSTRAINT_ORDER[c.kind], c.name))
    inline: list[Constraint] = []
    after: list[Constraint] = []
    seen: set[tuple[str, ...]] = set()
    for c in ordered:
        if isinstance(c, PrimaryKey | Unique):
            if c.columns in seen:
                after.append(c)
                continue
            seen.add(c.columns)
        inline.append(c)
    return inline, after


def create_table(table: Table, model: SchemaModel, target: Target) -> list[Statement]:
    """Return CREATE TABLE with its columns and non-FK constraints."""
    inline, after = split_constraints(table.name, model)
    enums = {e.name for e in model.enums}
    lines = [column_sql(c, target, enums) for c in table.columns]
    lines += [constraint_clause(c, target) for c in inline]
    body = ",\n    ".join(lines)
    if table.partition_of:
        sql = f"CREATE TABLE {target.q(table.name)} PARTITION OF {target.q(table.partition_of)}"
        sql += f" (\n    {body}\n)" if lines else ""
        sql += f" {table.partition_bound or 'DEFAULT'}"
    else:
        sql = f"CREATE TABLE {target.q(table.name)} (\n    {body}\n)"
    if table.partition_by:
        sql += f" PARTITION BY {table.partition_by}"
    provides = {f"table:{table.name}"} | {f"constraint:{table.name}.{c.name}" for c in inline}
    requires = {f"type:{t.name}" for t in model.enums if _uses_type(table, t.name)}
    requires |= {f"sequence:{s.name}" for s in model.sequences if _uses_name(table, s.name)}
    if table.partition_of:
        requires.add(f"table:{table.partition_of}")
    out = [Statement(sql, "table", table.name, frozenset(provides), frozenset(requires))]
    for c in after:
        out += add_constraint(c, target)
    out += row_security(table, target)
    return out


def row_security(table: Table, target: Target) -> list[Statement]:
    """Return ALTER TABLE ... ENABLE / FORCE ROW LEVEL SECURITY as the table asks."""
    out = []
    for flag, word in ((table.rls_enabled, "ENABLE"), (table.rls_forced, "FORCE")):
        if flag:
            out.append(Statement(f"ALTER TABLE {target.q(table.name)} {word} ROW LEVEL SECURITY",
                                 "table", f"{table.name}~{word.lower()}_rls", frozenset(),
                                 frozenset({f"table:{table.name}"})))
    return out


def _uses_type(table: Table, type_name: str) -> bool:
    bare = {c.type.removesuffix("[]").split(".")[-1].strip('"') for c in table.columns}
    return type_name in bare


def _uses_name(table: Table, name: str) -> bool:
    return any(c.default and name in c.default for c in table.columns)
