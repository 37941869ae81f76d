"""Triggers: CREATE OR REPLACE TRIGGER for changes (PostgreSQL >= 14)."""

from __future__ import annotations

from ..compile.trigger import create_trigger, trigger_sql
from ..compile.view import comment_literal
from ..ident import quote_ident
from ..model import Trigger
from .context import PlanContext
from .step import PRE_DROP, Step


def _key(tr: Trigger) -> str:
    return f"{tr.table}.{tr.name}"


def plan_add_trigger(ctx: PlanContext, tr: Trigger) -> list[Step]:
    """Return CREATE TRIGGER after its table and function."""
    (st,) = create_trigger(tr, ctx.target)
    cols = {f"column:{tr.table}.{c}" for c in tr.update_of}
    steps = [Step(st.sql, "trigger", _key(tr), "create", provides=st.provides,
                  requires=st.requires | cols)]
    if tr.comment:
        steps.append(trigger_comment(ctx, tr, order=1))
    return steps


def plan_drop_trigger(ctx: PlanContext, tr: Trigger) -> list[Step]:
    """Return DROP TRIGGER, unless its table goes with it."""
    if ctx.is_dropped(tr.table):
        return []
    sql = f"DROP TRIGGER {quote_ident(tr.name)} ON {ctx.target.q(tr.table)}"
    return [Step(sql, "trigger", _key(tr), "drop", phase=PRE_DROP)]


def plan_alter_trigger(ctx: PlanContext, old: Trigger, new: Trigger) -> list[Step]:
    """Return CREATE OR REPLACE TRIGGER (atomic), or COMMENT ON for a comment change."""
    steps: list[Step] = []
    if old.model_copy(update={"comment": None}) != new.model_copy(update={"comment": None}):
        sql = trigger_sql(new, ctx.target).replace("CREATE TRIGGER", "CREATE OR REPLACE TRIGGER", 1)
        steps.append(Step(sql, "trigger", _key(new), "replace",
                          provides=frozenset({f"trigger:{_key(new)}"})))
    if old.comment != new.comment:
        steps.append(trigger_comment(ctx, new, order=1))
    return steps


def trigger_comment(ctx: PlanContext, tr: Trigger, order: int = 0) -> Step:
    """Return COMMENT ON TRIGGER."""
    sql = (f"COMMENT ON TRIGGER {quote_ident(tr.name)} ON {ctx.target.q(tr.table)} IS "
           f"{comment_literal(tr.comment)}")
    return Step(sql, "comment", _key(tr), "comment", order=order,
                requires=frozenset({f"trigger:{_key(tr)}"}))
