"""Functions and procedures: CREATE OR REPLACE when the signature allows it."""

from __future__ import annotations

from ..compile.function import create_function, function_sql
from ..compile.view import comment_literal
from ..model import Function
from .context import PlanContext
from .step import POST_DROP, PRE_DROP, Hazard, Step, steps_from

UNTRACKED = (Hazard.UNTRACKED_DEPENDENCY,)


def _signature_sql(ctx: PlanContext, fn: Function) -> str:
    types = ", ".join(a.type for a in fn.arguments if a.mode != "out")
    return f"{ctx.target.q(fn.name)}({types})"


def plan_add_function(ctx: PlanContext, fn: Function) -> list[Step]:
    """Return CREATE FUNCTION (nothing can depend on a new function yet)."""
    steps = steps_from(create_function(fn, ctx.target), "function", fn.signature, "create")
    if fn.comment:
        steps.append(function_comment(ctx, fn, order=1))
    return steps


def plan_drop_function(ctx: PlanContext, fn: Function, *, phase: int = POST_DROP) -> list[Step]:
    """Return DROP FUNCTION; callers are not tracked by PostgreSQL."""
    sql = f"DROP {fn.kind.upper()} {_signature_sql(ctx, fn)}"
    return [Step(sql, "function", fn.signature, "drop", UNTRACKED, phase=phase)]


def replaceable(old: Function, new: Function) -> bool:
    """CREATE OR REPLACE cannot change the kind, result type, or argument names/modes."""
    def shape(f: Function) -> tuple[object, ...]:
        return (f.kind, f.returns, tuple((a.name, a.type, a.mode) for a in f.arguments))

    removed_default = any(o.default is not None and n.default is None
                          for o, n in zip(old.arguments, new.arguments, strict=False))
    return shape(old) == shape(new) and not removed_default


def plan_alter_function(ctx: PlanContext, old: Function, new: Function) -> list[Step]:
    """Return CREATE OR REPLACE, or drop + create when the signature's shape changed."""
    if old.model_copy(update={"comment": None}) == new.model_copy(update={"comment": None}):
        return [function_comment(ctx, new)]
    if replaceable(old, new):
        steps = [Step(function_sql(new, ctx.target, replace=True), "function", new.signature,
                      "replace", UNTRACKED, provides=frozenset({f"function:{new.name}"}))]
        if old.comment != new.comment:
            steps.append(function_comment(ctx, new, order=1))
        return steps
    # DROP takes the comment along: the new function needs it again, changed or not.
    steps = plan_drop_function(ctx, old, phase=PRE_DROP) + [
        Step(s.sql, s.kind, s.key, "create", UNTRACKED, provides=s.provides)
        for s in plan_add_function(ctx, new.model_copy(update={"comment": None}))]
    if new.comment is not None:
        steps.append(function_comment(ctx, new, order=1))
    return steps


def function_comment(ctx: PlanContext, fn: Function, order: int = 0) -> Step:
    """Return COMMENT ON FUNCTION / PROCEDURE."""
    sql = (f"COMMENT ON {fn.kind.upper()} {_signature_sql(ctx, fn)} IS "
           f"{comment_literal(fn.comment)}")
    return Step(sql, "comment", fn.signature, "comment", order=order,
                requires=frozenset({f"function:{fn.name}"}))
