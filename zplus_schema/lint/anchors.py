"""Anchors for each kind of object: how a hit names what it is about."""

from __future__ import annotations

from ..model import Constraint, Function, Index, Policy, Table, Trigger
from .finding import Anchor


def table(name: str) -> tuple[Anchor, ...]:
    """Return the anchors of a table."""
    return (Anchor("relation", name),)


def column(table_name: str, name: str) -> tuple[Anchor, ...]:
    """Return the anchors of a column: the column, then its table."""
    return (Anchor("column", f"{table_name}.{name}"), *table(table_name))


def constraint(con: Constraint) -> tuple[Anchor, ...]:
    """Return the anchors of a constraint: itself, its column when it has one, its table."""
    own = Anchor("constraint", f"{con.table}.{con.name}")
    cols: tuple[str, ...] = getattr(con, "columns", ())
    if len(cols) == 1:
        return (own, *column(con.table, cols[0]))
    return (own, *table(con.table))


def index(idx: Index) -> tuple[Anchor, ...]:
    """Return the anchors of an index: itself, then its table."""
    return (Anchor("relation", idx.name), *table(idx.table))


def function(fn: Function) -> tuple[Anchor, ...]:
    """Return the anchors of a function."""
    return (Anchor("function", fn.signature),)


def body_line(fn: Function, line: int) -> tuple[Anchor, ...]:
    """Return the anchors of line `line` (1-based) of a function's body, then the function."""
    return (Anchor("body", fn.signature, max(line, 1) - 1), *function(fn))


def trigger(tr: Trigger) -> tuple[Anchor, ...]:
    """Return the anchors of a trigger: itself, then its table."""
    return (Anchor("trigger", f"{tr.table}.{tr.name}"), *table(tr.table))


def policy(pol: Policy) -> tuple[Anchor, ...]:
    """Return the anchors of a policy: itself, then its table."""
    return (Anchor("policy", f"{pol.table}.{pol.name}"), *table(pol.table))


def of_table(t: Table) -> tuple[Anchor, ...]:
    """Return the anchors of a Table object."""
    return table(t.name)


def type_(name: str) -> tuple[Anchor, ...]:
    """Return the anchors of an enum or domain."""
    return (Anchor("type", name),)
