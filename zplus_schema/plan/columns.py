"""ALTER TABLE for column changes, in the safest form PostgreSQL allows."""

from __future__ import annotations

import re
from dataclasses import replace

from ..compile.table import column_sql, column_type
from ..ident import quote_ident
from ..model import Column, Table
from .context import PlanContext
from .step import Hazard, Step

# Defaults that force a table rewrite when a column is added (PostgreSQL >= 11 stores a
# non-volatile default in the catalog instead). Unknown functions count as volatile.
_STABLE_CALLS = {"now", "current_timestamp", "current_date", "localtimestamp",
                 "transaction_timestamp", "statement_timestamp", "current_user", "session_user",
                 "current_setting"}
_CALL = re.compile(r"([a-z_][a-z0-9_.]*)\s*\(", re.IGNORECASE)
# Type changes PostgreSQL does without rewriting the table.
_VARCHAR = re.compile(r"^(?:character varying|varchar)(?:\((\d+)\))?$")


def volatile_default(default: str | None) -> bool:
    """Return True when adding a column with this default rewrites the table."""
    if default is None:
        return False
    calls = {c.split(".")[-1].lower() for c in _CALL.findall(default)}
    return bool(calls - _STABLE_CALLS)


def rewrite_free(old: str, new: str) -> bool:
    """Return True for type changes known not to rewrite: widening varchar, varchar->text."""
    o, n = _VARCHAR.match(old), _VARCHAR.match(new)
    if o and new == "text":
        return True
    if o and n:
        return n.group(1) is None or (o.group(1) is not None and int(n.group(1)) >= int(o.group(1)))
    return False


def _domain_free(ctx: PlanContext, old: str, new: str) -> bool:
    """Return True when a domain is only relabelled: to its base type, or onto a domain
    without checks from its base type (a domain with checks makes PostgreSQL rewrite)."""
    live = {d.name: d for d in ctx.live.domains}
    desired = {d.name: d for d in ctx.desired.domains}
    if old in live and (live[old].type == new or rewrite_free(live[old].type, new)):
        return True
    return new in desired and not desired[new].checks and desired[new].type == old


def _alter(ctx: PlanContext, table: str, clause: str) -> str:
    return f"ALTER TABLE {ctx.target.q(table)} {clause}"


def _step(ctx: PlanContext, table: str, col: str, clause: str, action: str,
          hazards: tuple[Hazard, ...] = (), order: int = 0, phase: int = 1) -> Step:
    return Step(_alter(ctx, table, clause), "column", f"{table}.{col}", action, hazards,
                phase=phase, order=order, provides=frozenset({f"column:{table}.{col}"}))


def add_column(ctx: PlanContext, table: Table, col: Column) -> list[Step]:
    """Return ADD COLUMN; a volatile default rewrites the table."""
    own = {e.name for e in ctx.desired.enums} | {d.name for d in ctx.desired.domains}
    hazards: tuple[Hazard, ...] = ()
    if volatile_default(col.default) or col.generated:
        hazards = (Hazard.REWRITES_TABLE, Hazard.ACCESS_EXCLUSIVE_LOCK)
    sql_ = f"ADD COLUMN {column_sql(col, ctx.target, own)}"
    step = _step(ctx, table.name, col.name, sql_, "create", hazards)
    types = {f"type:{col.type.removesuffix('[]')}"}
    steps = [Step(step.sql, step.kind, step.key, step.action, step.hazards,
                  requires=frozenset(types), provides=step.provides)]
    if col.comment:
        steps.append(replace(column_comment(ctx, table.name, col), requires=step.provides))
    return steps


def drop_column(ctx: PlanContext, table: Table, col: Column) -> list[Step]:
    """Return DROP COLUMN, which deletes the column's data."""
    return [_step(ctx, table.name, col.name, f"DROP COLUMN {quote_ident(col.name)}", "drop",
                  (Hazard.DELETES_DATA,), phase=2)]


def needs_recreate(old: Column, new: Column) -> bool:
    """Return True when a column cannot be altered in place (generation changes)."""
    return old.generated != new.generated or (
        (old.identity is None) != (new.identity is None) and bool(old.generated or new.generated))


def alter_column(ctx: PlanContext, table: Table, old: Column, new: Column) -> list[Step]:
    """Return the ALTER COLUMN steps that turn `old` into `new`."""
    if needs_recreate(old, new):
        # The old column must go before the new one of the same name is added.
        drop = _step(ctx, table.name, old.name, f"DROP COLUMN {quote_ident(old.name)}", "drop",
                     (Hazard.DELETES_DATA,), order=0)
        return [drop] + [replace(s, order=1) for s in add_column(ctx, table, new)]
    steps: list[Step] = []
    col, name = quote_ident(new.name), new.name
    own = {e.name for e in ctx.desired.enums} | {d.name for d in ctx.desired.domains}
    if old.type != new.type or old.collation != new.collation:
        hazards: tuple[Hazard, ...] = (Hazard.ACCESS_EXCLUSIVE_LOCK,)
        # A new collation alone keeps the stored bytes: only indexes on the column rebuild.
        if not (old.type == new.type or rewrite_free(old.type, new.type)
                or _domain_free(ctx, old.type, new.type)):
            hazards = (Hazard.REWRITES_TABLE, Hazard.ACCESS_EXCLUSIVE_LOCK)
        new_type = column_type(new, ctx.target, own)
        collate = f" COLLATE {quote_ident(new.collation)}" if new.collation else ""
        clause = f"ALTER COLUMN {col} TYPE {new_type}{collate} USING {col}::{new_type}"
        if old.default is not None:  # the old default may not cast to the new type
            steps.append(_step(ctx, table.name, name, f"ALTER COLUMN {col} DROP DEFAULT",
                               "alter", order=0))
            old = old.model_copy(update={"default": None})
        steps.append(_step(ctx, table.name, name, clause, "alter", hazards, order=1))
    steps += _identity(ctx, table, old, new)
    if old.default != new.default and new.identity is None:
        clause = (f"ALTER COLUMN {col} DROP DEFAULT" if new.default is None
                  else f"ALTER COLUMN {col} SET DEFAULT {new.default}")
        steps.append(_step(ctx, table.name, name, clause, "alter", order=3))
    if old.nullable != new.nullable:
        steps += _nullability(ctx, table, new)
    if old.comment != new.comment:
        steps.append(column_comment(ctx, table.name, new))
    return steps


def _identity(ctx: PlanContext, table: Table, old: Column, new: Column) -> list[Step]:
    col = quote_ident(new.name)
    if old.identity == new.identity:
        return []
    if new.identity is None:
        clause = f"ALTER COLUMN {col} DROP IDENTITY"
    elif old.identity is None:
        clause = f"ALTER COLUMN {col} ADD GENERATED {new.identity.upper()} AS IDENTITY"
    else:
        clause = f"ALTER COLUMN {col} SET GENERATED {new.identity.upper()}"
    return [_step(ctx, table.name, new.name, clause, "alter", order=2)]


def _nullability(ctx: PlanContext, table: Table, new: Column) -> list[Step]:
    col = quote_ident(new.name)
    if new.nullable:
        return [_step(ctx, table.name, new.name, f"ALTER COLUMN {col} DROP NOT NULL", "alter",
                      order=4)]
    # SET NOT NULL scans the table under ACCESS EXCLUSIVE; a validated CHECK (col IS NOT
    # NULL) lets PostgreSQL skip that scan, and VALIDATE only takes SHARE UPDATE EXCLUSIVE.
    check = quote_ident(f"{table.name}_{new.name}_not_null"[:63])
    return [
        _step(ctx, table.name, new.name,
              f"ADD CONSTRAINT {check} CHECK ({col} IS NOT NULL) NOT VALID", "alter", order=4),
        _step(ctx, table.name, new.name, f"VALIDATE CONSTRAINT {check}", "validate", order=5),
        _step(ctx, table.name, new.name, f"ALTER COLUMN {col} SET NOT NULL", "alter", order=6),
        _step(ctx, table.name, new.name, f"DROP CONSTRAINT {check}", "alter", order=7),
    ]


def column_comment(ctx: PlanContext, table: str, col: Column) -> Step:
    """Return COMMENT ON COLUMN (NULL removes it)."""
    from ..compile.view import comment_literal

    sql_ = (f"COMMENT ON COLUMN {ctx.target.q(table)}.{quote_ident(col.name)} IS "
            f"{comment_literal(col.comment)}")
    return Step(sql_, "column", f"{table}.{col.name}", "comment", order=8)
