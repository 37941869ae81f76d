"""Constraint clauses, inline in CREATE TABLE or as ALTER TABLE ... ADD CONSTRAINT."""

from __future__ import annotations

from ..ident import quote_ident
from ..model import Check, Constraint, Exclusion, ForeignKey, PrimaryKey, Unique
from .context import Target
from .statement import Statement


def _deferral(c: Constraint) -> str:
    if not c.deferrable:
        return ""
    return " DEFERRABLE INITIALLY DEFERRED" if c.initially_deferred else " DEFERRABLE"


def constraint_body(c: Constraint, target: Target) -> str:
    """Return the constraint definition after `CONSTRAINT name`."""
    if isinstance(c, PrimaryKey):
        body = f"PRIMARY KEY {target.col_list(c.columns)}"
    elif isinstance(c, Unique):
        nnd = " NULLS NOT DISTINCT" if c.nulls_not_distinct else ""
        body = f"UNIQUE{nnd} {target.col_list(c.columns)}"
    elif isinstance(c, Check):
        body = f"CHECK ({c.expression})" + (" NO INHERIT" if c.no_inherit else "")
    elif isinstance(c, Exclusion):
        body = f"EXCLUDE {c.definition}"
    else:
        body = (
            f"FOREIGN KEY {target.col_list(c.columns)} REFERENCES {target.qn(c.ref_table)}"
            f" {target.col_list(c.ref_columns)}"
        )
        if c.on_update != "no action":
            body += f" ON UPDATE {c.on_update.upper()}"
        if c.on_delete != "no action":
            body += f" ON DELETE {c.on_delete.upper()}"
    return body + _deferral(c)


def constraint_clause(c: Constraint, target: Target) -> str:
    """Return `CONSTRAINT name <definition>`."""
    return f"CONSTRAINT {quote_ident(c.name)} {constraint_body(c, target)}"


def add_constraint(c: Constraint, target: Target) -> list[Statement]:
    """Return ALTER TABLE ... ADD CONSTRAINT for one constraint."""
    sql = f"ALTER TABLE {target.q(c.table)} ADD {constraint_clause(c, target)}"
    requires = {f"table:{c.table}"}
    if isinstance(c, ForeignKey) and c.ref_table.schema_name is None:
        requires.add(f"table:{c.ref_table.name}")
        # The referenced key must exist first: inline in its CREATE TABLE, or a unique index.
        requires.add(f"key:{c.ref_table.name}:{','.join(c.ref_columns)}")
    provides = {f"constraint:{c.table}.{c.name}"}
    if isinstance(c, PrimaryKey | Unique):  # a foreign key may need exactly this key
        provides.add(f"key:{c.table}:{','.join(c.columns)}")
    return [Statement(sql, "constraint", f"{c.table}.{c.name}", frozenset(provides),
                      frozenset(requires))]
