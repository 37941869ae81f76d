"""Constraints: NOT VALID + VALIDATE on existing tables; drops before what they block."""

from __future__ import annotations

from ..compile.constraint import constraint_clause
from ..compile.view import comment_literal
from ..ident import quote_ident
from ..model import Check, Constraint, ForeignKey, PrimaryKey, Unique
from .context import PlanContext
from .step import PRE_DROP, Hazard, Step


def _key(c: Constraint) -> str:
    return f"{c.table}.{c.name}"


def _requires(c: Constraint) -> frozenset[str]:
    req = {f"table:{c.table}"} | {f"column:{c.table}.{col}" for col in getattr(c, "columns", ())}
    if isinstance(c, ForeignKey) and c.ref_table.schema_name is None:
        req.add(f"table:{c.ref_table.name}")
        # After the referenced columns' type changes: the types must match again.
        req |= {f"column:{c.ref_table.name}.{col}" for col in c.ref_columns}
        # The referenced key must exist first: it may be added by this same plan.
        req |= {f"key:{c.ref_table.name}:{','.join(c.ref_columns)}"}
    return frozenset(req)


def _provides(c: Constraint) -> frozenset[str]:
    out = {f"constraint:{_key(c)}"}
    if isinstance(c, PrimaryKey | Unique):
        out.add(f"key:{c.table}:{','.join(c.columns)}")
    return frozenset(out)


def plan_add_constraint(ctx: PlanContext, c: Constraint) -> list[Step]:
    """Return ADD CONSTRAINT; checks and FKs on existing tables are added NOT VALID first."""
    if ctx.is_new(c.table) and not isinstance(c, ForeignKey):
        # Inline in CREATE TABLE; only its comment is a statement of its own.
        return [constraint_comment(ctx, c, order=2)] if c.comment else []
    table = ctx.target.q(c.table)
    add = f"ALTER TABLE {table} ADD {constraint_clause(c, ctx.target)}"
    steps: list[Step]
    if isinstance(c, Check | ForeignKey) and not ctx.is_new(c.table):
        # NOT VALID takes a brief lock; VALIDATE scans under SHARE UPDATE EXCLUSIVE, so
        # reads and writes go on while existing rows are checked.
        steps = [
            Step(add + " NOT VALID", "constraint", _key(c), "create", order=0,
                 requires=_requires(c), provides=_provides(c)),
            Step(f"ALTER TABLE {table} VALIDATE CONSTRAINT {quote_ident(c.name)}", "constraint",
                 _key(c), "validate", order=1, requires=_requires(c)),
        ]
    else:
        hazards: tuple[Hazard, ...] = ()
        if isinstance(c, PrimaryKey | Unique) or not ctx.is_new(c.table):
            hazards = (Hazard.BUILDS_INDEX, Hazard.ACCESS_EXCLUSIVE_LOCK)
        steps = [Step(add, "constraint", _key(c), "create", hazards, requires=_requires(c),
                      provides=_provides(c))]
    if c.comment:
        steps.append(constraint_comment(ctx, c, order=2))
    return steps


def plan_drop_constraint(ctx: PlanContext, c: Constraint) -> list[Step]:
    """Return DROP CONSTRAINT, unless the table goes with it; FKs go before keys."""
    if ctx.is_dropped(c.table) and _key(c) not in ctx.early_fk_drops and not (
        isinstance(c, ForeignKey) and c.ref_table.schema_name is None
        and ctx.is_dropped(c.ref_table.name) and c.ref_table.name != c.table
    ):
        return []
    sql = f"ALTER TABLE {ctx.target.q(c.table)} DROP CONSTRAINT {quote_ident(c.name)}"
    order = 0 if isinstance(c, ForeignKey) else 1
    return [Step(sql, "constraint", _key(c), "drop", phase=PRE_DROP, order=order)]


def plan_alter_constraint(ctx: PlanContext, old: Constraint, new: Constraint) -> list[Step]:
    """Return drop + add; a comment-only change is COMMENT ON CONSTRAINT."""
    if old.model_copy(update={"comment": None}) == new.model_copy(update={"comment": None}):
        return [constraint_comment(ctx, new)]
    return plan_drop_constraint(ctx, old) + plan_add_constraint(ctx, new)


def constraint_comment(ctx: PlanContext, c: Constraint, order: int = 0) -> Step:
    """Return COMMENT ON CONSTRAINT."""
    sql = (f"COMMENT ON CONSTRAINT {quote_ident(c.name)} ON {ctx.target.q(c.table)} IS "
           f"{comment_literal(c.comment)}")
    return Step(sql, "comment", _key(c), "comment", order=order,
                requires=frozenset({f"constraint:{_key(c)}"}))
