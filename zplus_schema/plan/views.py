"""Views and materialized views: dropped and created again, dependents included."""

from __future__ import annotations

from ..compile.view import (
    comment_literal,
    create_materialized_view,
    create_view,
    functions_of,
    relations_of,
)
from ..model import MaterializedView, SchemaModel, View
from .context import PlanContext
from .step import PRE_DROP, Step, steps_from

AnyView = View | MaterializedView


def _word(v: AnyView) -> str:
    return "MATERIALIZED VIEW" if isinstance(v, MaterializedView) else "VIEW"


def views_of(model: SchemaModel) -> dict[str, AnyView]:
    """Return every view and materialized view of a model by name."""
    found: dict[str, AnyView] = {v.name: v for v in model.views}
    found.update({m.name: m for m in model.materialized_views})
    return found


def dependents(model: SchemaModel, changed: set[str]) -> set[str]:
    """Return the views that read or call, directly or through other views, any of `changed`."""
    views = views_of(model)
    reads = {name: relations_of(v.query) | functions_of(v.query) for name, v in views.items()}
    found: set[str] = set()
    frontier = set(changed)
    while frontier:
        nxt = {name for name, rels in reads.items() if rels & frontier and name not in found}
        found |= nxt
        frontier = nxt
    return found


def plan_add_view(ctx: PlanContext, view: AnyView) -> list[Step]:
    """Return CREATE [MATERIALIZED] VIEW after what it reads."""
    if isinstance(view, MaterializedView):
        made = create_materialized_view(view, ctx.target)
    else:
        made = create_view(view, ctx.target)
    steps = steps_from(made, "view", view.name, "create")
    if view.comment:
        sql = (f"COMMENT ON {_word(view)} {ctx.target.q(view.name)} IS "
               f"{comment_literal(view.comment)}")
        steps.append(Step(sql, "comment", view.name, "comment",
                          requires=frozenset({f"table:{view.name}"})))
    return steps


def plan_drop_view(ctx: PlanContext, view: AnyView) -> list[Step]:
    """Return DROP [MATERIALIZED] VIEW, dependents first (ordered by the builder)."""
    depth = _depth(ctx.live, view.name)
    return [Step(f"DROP {_word(view)} {ctx.target.q(view.name)}", "view", view.name, "drop",
                 phase=PRE_DROP, order=100 - depth)]


def _depth(model: SchemaModel, name: str, seen: frozenset[str] = frozenset()) -> int:
    """Return how many views stand under this one (views over views drop first)."""
    views = views_of(model)
    if name not in views or name in seen:
        return 0
    under = [r for r in relations_of(views[name].query) if r in views]
    return 1 + max((_depth(model, r, seen | {name}) for r in under), default=0)


def plan_alter_view(ctx: PlanContext, old: AnyView, new: AnyView) -> list[Step]:
    """Return drop + create; ALTER VIEW SET/RESET for options, COMMENT ON for a comment."""
    same_query = type(old) is type(new) and old.query == new.query
    if not same_query:
        return plan_drop_view(ctx, old) + plan_add_view(ctx, new)
    steps: list[Step] = []
    if isinstance(old, View) and isinstance(new, View) and old.options != new.options:
        steps += _options(ctx, old, new)
    if old.comment != new.comment:
        sql = (f"COMMENT ON {_word(new)} {ctx.target.q(new.name)} IS "
               f"{comment_literal(new.comment)}")
        steps.append(Step(sql, "comment", new.name, "comment", order=1))
    return steps


def _options(ctx: PlanContext, old: View, new: View) -> list[Step]:
    """Return ALTER VIEW ... SET (...) / RESET (...): the view and its grants stay."""
    before, after = dict(old.options), dict(new.options)
    q = ctx.target.q(new.name)
    steps = []
    gone = [k for k in before if k not in after]
    if gone:
        steps.append(Step(f"ALTER VIEW {q} RESET ({', '.join(gone)})", "view", new.name,
                          "alter"))
    changed = [f"{k} = {v}" for k, v in new.options if before.get(k) != v]
    if changed:
        steps.append(Step(f"ALTER VIEW {q} SET ({', '.join(changed)})", "view", new.name,
                          "alter"))
    return steps
