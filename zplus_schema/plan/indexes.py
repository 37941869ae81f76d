"""Indexes: CONCURRENTLY on existing tables when asked; a build is a hazard otherwise."""

from __future__ import annotations

from ..compile.index import create_index
from ..compile.view import comment_literal
from ..diff import key_text
from ..ident import quote_ident
from ..model import Index
from .context import PlanContext
from .step import PRE_DROP, Hazard, Step


def plan_add_index(ctx: PlanContext, index: Index) -> list[Step]:
    """Return CREATE INDEX (CONCURRENTLY, outside the transaction, when asked)."""
    table = ctx.desired.table(index.table)
    existing = not ctx.is_new(index.table) and table is not None
    concurrently = (existing and ctx.options.concurrently and table is not None
                    and table.partition_by is None and not _needed_by_new_fk(ctx, index))
    hazards: tuple[Hazard, ...] = ()
    if existing and not concurrently:
        hazards = (Hazard.BUILDS_INDEX,)
    (st,) = create_index(index, ctx.target, concurrently=concurrently)
    sql = st.sql.replace("INDEX CONCURRENTLY ", "INDEX CONCURRENTLY IF NOT EXISTS ", 1)
    cols = {f"column:{index.table}.{c}" for c in (*index.columns, *index.include)}
    steps = [Step(sql, "index", index.name, "create", hazards,
                  transactional=not concurrently, provides=st.provides,
                  requires=st.requires | cols)]
    if index.comment:
        steps.append(index_comment(ctx, index, order=1))
    return steps


def _needed_by_new_fk(ctx: PlanContext, index: Index) -> bool:
    """Return True for a unique index that a foreign key added by this plan references.

    CONCURRENTLY runs after the transaction, where the foreign key is added (or re-added
    after a change under it): too late. (Partitioned tables cannot build CONCURRENTLY at
    all, see plan_add_index.)
    """
    if not index.unique:
        return False
    live = set(ctx.live.foreign_keys())
    return any((fk not in live or ("constraints", key_text(fk)) in ctx.recreated)
               and fk.ref_table.schema_name is None
               and fk.ref_table.name == index.table and set(fk.ref_columns) == set(index.columns)
               for fk in ctx.desired.foreign_keys())


def plan_drop_index(ctx: PlanContext, index: Index) -> list[Step]:
    """Return DROP INDEX, unless its table goes with it."""
    if ctx.is_dropped(index.table):
        return []
    table = ctx.live.table(index.table)
    concurrently = ctx.options.concurrently and not (table and table.partition_by)
    word = "DROP INDEX CONCURRENTLY IF EXISTS" if concurrently else "DROP INDEX"
    return [Step(f"{word} {ctx.target.q(index.name)}", "index", index.name, "drop",
                 () if concurrently else (Hazard.ACCESS_EXCLUSIVE_LOCK,), phase=PRE_DROP,
                 transactional=not concurrently, order=2)]


def plan_alter_index(ctx: PlanContext, old: Index, new: Index) -> list[Step]:
    """Return drop + create; a comment-only change is COMMENT ON INDEX."""
    if old.model_copy(update={"comment": None}) == new.model_copy(update={"comment": None}):
        return [index_comment(ctx, new)]
    return plan_drop_index(ctx, old) + plan_add_index(ctx, new)


def index_comment(ctx: PlanContext, index: Index, order: int = 0) -> Step:
    """Return COMMENT ON INDEX."""
    sql = f"COMMENT ON INDEX {ctx.target.q(index.name)} IS {comment_literal(index.comment)}"
    return Step(sql, "comment", index.name, "comment", order=order,
                requires=frozenset({f"index:{index.name}"}))


__all__ = ["plan_add_index", "plan_alter_index", "plan_drop_index", "quote_ident"]
