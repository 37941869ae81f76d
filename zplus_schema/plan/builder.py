"""Turn changes into ordered steps: drop what blocks, create and alter, then drop data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..compile.context import Target
from ..compile.order import topo_sort
from ..diff import (
    Add,
    Alter,
    Change,
    Drop,
    Rename,
    Renames,
    diff_schema,
    key_text,
    mentions_column,
)
from ..model import Function, MaterializedView, SchemaModel, Table, View
from . import constraints, indexes, policies, routines, tables, triggers, types, views
from .columns import needs_recreate
from .context import PlanContext, PlanOptions
from .foreign_keys import rebuild_foreign_keys
from .step import MAIN, POST_DROP, PRE_DROP, Step

Planner = Callable[[PlanContext, Any], list[Step]]
Alterer = Callable[[PlanContext, Any, Any], list[Step]]

# collection -> (add, drop, alter)
DISPATCH: dict[str, tuple[Planner, Planner, Alterer]] = {
    "extensions": (types.plan_add_extension, types.plan_drop_extension,
                   types.plan_alter_extension),
    "enums": (types.plan_add_enum, types.plan_drop_type, types.plan_alter_enum),
    "domains": (types.plan_add_domain, types.plan_drop_type, types.plan_alter_domain),
    "sequences": (types.plan_add_sequence, types.plan_drop_sequence, types.plan_alter_sequence),
    "functions": (routines.plan_add_function, routines.plan_drop_function,
                  routines.plan_alter_function),
    "tables": (tables.plan_add_table, tables.plan_drop_table, tables.plan_alter_table),
    "constraints": (constraints.plan_add_constraint, constraints.plan_drop_constraint,
                    constraints.plan_alter_constraint),
    "indexes": (indexes.plan_add_index, indexes.plan_drop_index, indexes.plan_alter_index),
    "triggers": (triggers.plan_add_trigger, triggers.plan_drop_trigger,
                 triggers.plan_alter_trigger),
    "views": (views.plan_add_view, views.plan_drop_view, views.plan_alter_view),
    "materialized_views": (views.plan_add_view, views.plan_drop_view, views.plan_alter_view),
    "policies": (policies.plan_add_policy, policies.plan_drop_policy,
                 policies.plan_alter_policy),
}

PRE_RANK = {"trigger": 0, "policy": 0, "view": 1, "constraint": 2, "index": 3, "function": 4}
POST_RANK = {"column": 0, "table": 1, "function": 2, "sequence": 3, "enum": 4, "domain": 4,
             "extension": 5}


def _context(live: SchemaModel, desired: SchemaModel, changes: list[Change], target: Target,
             options: PlanOptions) -> PlanContext:
    ctx = PlanContext(live, desired, target, options)
    for ch in changes:
        if ch.collection == "tables" and isinstance(ch, Add):
            ctx.new_tables.add(ch.key)
        elif ch.collection == "tables" and isinstance(ch, Drop):
            ctx.dropped_tables.add(ch.key)
    tables.mark_early_drops(ctx)
    return ctx


def _reshaped_relations(changes: list[Change]) -> set[str]:
    """Return relations whose columns change type or go away, and functions dropped or
    re-created: views over them must be rebuilt."""
    names: set[str] = set()
    for ch in changes:
        if ch.collection == "functions" and (isinstance(ch, Drop) or (
                isinstance(ch, Alter) and isinstance(ch.old, Function)
                and isinstance(ch.new, Function) and not routines.replaceable(ch.old, ch.new))):
            names.add(ch.old.name if isinstance(ch.old, Function) else ch.key)
            continue
        if ch.collection in ("tables", "views", "materialized_views") and isinstance(
                ch, Drop | Alter):
            if isinstance(ch, Alter) and isinstance(ch.old, Table) and isinstance(ch.new, Table):
                old_cols = {c.name: (c.type, c.generated) for c in ch.old.columns}
                new_cols = {c.name: (c.type, c.generated) for c in ch.new.columns}
                if all(new_cols.get(n) == t for n, t in old_cols.items()):
                    continue
            names.add(ch.key)
        elif isinstance(ch, Rename) and ch.collection in ("tables", "columns"):
            names.add(ch.table or ch.old_name)
    return names


def _rebuild_views(ctx: PlanContext, changes: list[Change]) -> list[Change]:
    """Add drop + create for views that stand on something reshaped.

    A view changed only in its comment or options would otherwise just be altered, and
    then stand in the way of the change under it: it is re-created too.
    """
    touched = {ch.key for ch in changes if ch.collection in ("views", "materialized_views")}
    extra: list[Change] = []
    live_views = views.views_of(ctx.live)
    desired_views = views.views_of(ctx.desired)
    reshaped = _reshaped_relations(changes) | (ctx.new_tables & ctx.dropped_tables)
    for name in sorted(views.dependents(ctx.live, reshaped)):
        if name not in desired_views:
            continue
        if name not in touched:
            coll = "views" if name in {v.name for v in ctx.live.views} else "materialized_views"
            extra.append(Alter(coll, live_views[name], desired_views[name]))
        ctx.recreated_views.add(name)
    return extra


def _rebuild_tables(ctx: PlanContext, changes: list[Change]) -> list[Change]:
    """Mark tables re-created (new partitioning) with their partitions as dropped and new.

    Their parts then come and go with them; unchanged partitions are re-created too.
    """
    names = {ch.key for ch in changes if isinstance(ch, Alter) and isinstance(ch.old, Table)
             and isinstance(ch.new, Table) and tables.needs_recreate(ch.old, ch.new)}
    grown = True
    while grown:
        parts = {t.name for t in ctx.live.tables if t.partition_of in names} - names
        names |= parts
        grown = bool(parts)
    touched = {ch.key for ch in changes if ch.collection == "tables"}
    extra: list[Change] = []
    for name in sorted(names):
        old, new = ctx.live.table(name), ctx.desired.table(name)
        if old is None or new is None:
            continue
        ctx.new_tables.add(name)
        ctx.dropped_tables.add(name)
        if name not in touched:
            extra.append(Alter("tables", old, new))
    return extra


def _uses_columns(obj: Any, cols: set[str]) -> bool:
    """Return True when an index, constraint, trigger or policy reads any of `cols`."""
    named = (set(getattr(obj, "columns", ())) | set(getattr(obj, "include", ()))
             | set(getattr(obj, "update_of", ())))
    texts = [getattr(obj, "expression", None), getattr(obj, "definition", None),
             getattr(obj, "where", None), getattr(obj, "when", None),
             getattr(obj, "using", None), getattr(obj, "with_check", None),
             *(k.expression for k in getattr(obj, "keys", ()))]
    return bool(named & cols) or any(mentions_column(x, c) for x in texts for c in cols)


def _stands_on(ctx: PlanContext, obj: Any, cols: dict[str, set[str]]) -> bool:
    """Return True when an object goes with a re-created table or column."""
    if ctx.is_recreated(obj.table):
        return True
    ref = getattr(obj, "ref_table", None)
    if ref is not None and ref.schema_name is None and ctx.is_recreated(ref.name):
        return True
    return _uses_columns(obj, cols.get(obj.table, set()))


def _rebuild_dependents(ctx: PlanContext, changes: list[Change]) -> list[Change]:
    """Add drop + create for unchanged objects on re-created tables or columns.

    DROP TABLE and DROP COLUMN take indexes, constraints, triggers and policies along (and
    foreign keys pointing at a dropped table block it): they must be built again.
    """
    cols: dict[str, set[str]] = {}
    # PostgreSQL refuses ALTER COLUMN TYPE on a column a trigger or policy names
    # ("used in a trigger definition"): those are rebuilt around a type change too.
    retyped: dict[str, set[str]] = {}
    for ch in changes:
        if isinstance(ch, Alter) and isinstance(ch.old, Table) and isinstance(ch.new, Table):
            new_cols = {c.name: c for c in ch.new.columns}
            cols[ch.key] = {c.name for c in ch.old.columns
                            if c.name in new_cols and needs_recreate(c, new_cols[c.name])}
            retyped[ch.key] = cols[ch.key] | {
                c.name for c in ch.old.columns if c.name in new_cols
                and (c.type, c.collation) != (new_cols[c.name].type, new_cols[c.name].collation)}
    touched = {(ch.collection, ch.key) for ch in changes}
    extra: list[Change] = []
    for coll in ("indexes", "constraints", "triggers", "policies"):
        desired = {key_text(o): o for o in getattr(ctx.desired, coll)}
        under = retyped if coll in ("triggers", "policies") else cols
        for obj in getattr(ctx.live, coll):
            key = key_text(obj)
            if key not in desired or not _stands_on(ctx, obj, under):
                continue
            # A changed one is re-created too: CREATE OR REPLACE or COMMENT ON would run
            # with the old object still in the way (or already gone with its column).
            if (coll, key) not in touched:
                extra.append(Alter(coll, obj, desired[key]))
            ctx.recreated.add((coll, key))
    return extra


def steps_for(change: Change, ctx: PlanContext) -> list[Step]:
    """Return the steps of one change."""
    if isinstance(change, Rename):
        if change.collection in ("constraints", "indexes") and change.table is not None \
                and ctx.is_recreated(change.table):  # the new table has it by its new name
            obj = next(o for o in getattr(ctx.desired, change.collection)
                       if o.table == change.table and o.name == change.new_name)
            return DISPATCH[change.collection][0](ctx, obj)
        return tables.plan_rename(ctx, change)
    add, drop, alter = DISPATCH[change.collection]
    if isinstance(change, Add):
        return add(ctx, change.new)
    if isinstance(change, Drop):
        return drop(ctx, change.old)
    assert isinstance(change, Alter)
    if (change.collection, change.key) in ctx.recreated:
        return drop(ctx, change.old) + add(ctx, change.new)
    if change.key in ctx.recreated_views:
        old, new = change.old, change.new
        assert isinstance(old, View | MaterializedView)
        assert isinstance(new, View | MaterializedView)
        return views.plan_drop_view(ctx, old) + views.plan_add_view(ctx, new)
    return alter(ctx, change.old, change.new)


def order_steps(steps: list[Step]) -> list[Step]:
    """Return steps in execution order: pre-drops, the main phase by dependencies, drops."""
    pre = sorted((s for s in steps if s.phase == PRE_DROP),
                 key=lambda s: (PRE_RANK.get(s.kind, 5), s.order, s.key))
    main = [s for s in steps if s.phase == MAIN]
    statements = [s.statement(i) for i, s in enumerate(main)]
    step_of = {id(st): main[i] for i, st in enumerate(statements)}
    ordered_main = [step_of[id(st)] for st in topo_sort(statements)]
    post = sorted((s for s in steps if s.phase == POST_DROP),
                  key=lambda s: (POST_RANK.get(s.kind, 6), s.order, s.key))
    return pre + ordered_main + post


def plan_schema(live: SchemaModel, desired: SchemaModel, target: Target,
                renames: Renames | None = None,
                options: PlanOptions | None = None) -> list[Step]:
    """Return the ordered steps that turn the live schema into the desired one."""
    changes = diff_schema(live, desired, renames)
    ctx = _context(live, desired, changes, target, options or PlanOptions())
    changes += _rebuild_tables(ctx, changes)
    changes += _rebuild_views(ctx, changes) + _rebuild_dependents(ctx, changes)
    changes += rebuild_foreign_keys(ctx, changes)
    steps: list[Step] = []
    for change in changes:
        steps += steps_for(change, ctx)
    return _commit_new_enum_values(order_steps(steps))


def _commit_new_enum_values(steps: list[Step]) -> list[Step]:
    """Run ADD VALUE on its own when a later step uses the value.

    PostgreSQL refuses to use an enum value added in the same, uncommitted transaction
    ("unsafe use of new value"), so such a step commits before the rest runs.
    """
    out: list[Step] = []
    for i, step in enumerate(steps):
        if step.kind == "enum" and " ADD VALUE " in step.sql:
            literal = step.sql.split(" ADD VALUE ", 1)[1].split(" BEFORE ")[0].split(" AFTER ")[0]
            if any(literal in later.sql for later in steps[i + 1:]):
                step = replace(step, transactional=False)
        out.append(step)
    return out
