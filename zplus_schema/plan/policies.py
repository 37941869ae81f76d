"""Row-level security policies: ALTER POLICY where PostgreSQL allows it."""

from __future__ import annotations

from ..compile.view import comment_literal, create_policy
from ..ident import quote_ident
from ..model import Policy
from .context import PlanContext
from .step import PRE_DROP, Hazard, Step

AUTH = (Hazard.CHANGES_AUTHORIZATION,)


def _key(p: Policy) -> str:
    return f"{p.table}.{p.name}"


def plan_add_policy(ctx: PlanContext, pol: Policy) -> list[Step]:
    """Return CREATE POLICY."""
    (st,) = create_policy(pol, ctx.target)
    steps = [Step(st.sql, "policy", _key(pol), "create", AUTH, provides=st.provides,
                  requires=st.requires)]
    if pol.comment:
        steps.append(policy_comment(ctx, pol, order=1))
    return steps


def plan_drop_policy(ctx: PlanContext, pol: Policy) -> list[Step]:
    """Return DROP POLICY, unless its table goes with it."""
    if ctx.is_dropped(pol.table):
        return []
    sql = f"DROP POLICY {quote_ident(pol.name)} ON {ctx.target.q(pol.table)}"
    return [Step(sql, "policy", _key(pol), "drop", AUTH, phase=PRE_DROP)]


def plan_alter_policy(ctx: PlanContext, old: Policy, new: Policy) -> list[Step]:
    """Return ALTER POLICY when command and kind stay and no clause is removed."""
    steps: list[Step] = []
    core_old = old.model_copy(update={"comment": None})
    core_new = new.model_copy(update={"comment": None})
    if core_old != core_new:
        alterable = (old.command, old.permissive) == (new.command, new.permissive) and not (
            (old.using is not None and new.using is None)
            or (old.with_check is not None and new.with_check is None))
        if not alterable:
            # DROP takes the comment along: plan_add_policy sets it again, changed or not.
            return plan_drop_policy(ctx, old) + plan_add_policy(ctx, new)
        roles = ", ".join(r if r == "public" else quote_ident(r) for r in new.roles)
        sql = f"ALTER POLICY {quote_ident(new.name)} ON {ctx.target.q(new.table)} TO {roles}"
        if new.using is not None:
            sql += f" USING ({new.using})"
        if new.with_check is not None:
            sql += f" WITH CHECK ({new.with_check})"
        steps.append(Step(sql, "policy", _key(new), "alter", AUTH))
    if old.comment != new.comment:
        steps.append(policy_comment(ctx, new, order=2))
    return steps


def policy_comment(ctx: PlanContext, pol: Policy, order: int = 0) -> Step:
    """Return COMMENT ON POLICY."""
    sql = (f"COMMENT ON POLICY {quote_ident(pol.name)} ON {ctx.target.q(pol.table)} IS "
           f"{comment_literal(pol.comment)}")
    return Step(sql, "comment", _key(pol), "comment", order=order,
                requires=frozenset({f"policy:{_key(pol)}"}))
