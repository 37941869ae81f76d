"""Tables: create, drop, rename, and the column and table-level alterations."""

from __future__ import annotations

from dataclasses import replace

from ..compile.table import create_table, row_security
from ..compile.view import comment_literal
from ..diff import Rename
from ..model import PrimaryKey, SchemaModel, Table, Unique
from .columns import add_column, alter_column, drop_column
from .context import PlanContext
from .step import POST_DROP, PRE_DROP, Hazard, Step, steps_from


def plan_add_table(ctx: PlanContext, table: Table) -> list[Step]:
    """Return CREATE TABLE with its inline constraints (the table is new and empty)."""
    steps = steps_from(create_table(table, ctx.desired, ctx.target), "table", table.name,
                       "create")
    # Enabling RLS on a new table does change who may see rows once there are any.
    steps = [s if "ROW LEVEL SECURITY" not in s.sql
             else Step(s.sql, s.kind, s.key, s.action, (Hazard.CHANGES_AUTHORIZATION,),
                       order=s.order, provides=s.provides, requires=s.requires)
             for s in steps]
    if table.comment:
        steps.append(_comment(ctx, table))
    steps += [_col_comment(ctx, table.name, c) for c in table.columns if c.comment]
    return steps


def plan_drop_table(ctx: PlanContext, table: Table, *, phase: int = POST_DROP) -> list[Step]:
    """Return DROP TABLE, which deletes its data (early when a new relation takes a name)."""
    if table.name in ctx.early_table_drops:
        phase = PRE_DROP
    # A partition goes before its parent, whose DROP would otherwise take it along.
    return [Step(f"DROP TABLE {ctx.target.q(table.name)}", "table", table.name, "drop",
                 (Hazard.DELETES_DATA,), phase=phase, order=0 if table.partition_of else 1)]


def plan_rename(ctx: PlanContext, change: Rename) -> list[Step]:
    """Return ALTER TABLE ... RENAME [COLUMN | CONSTRAINT] or ALTER INDEX ... RENAME."""
    from ..ident import quote_ident

    old, new = quote_ident(change.old_name), quote_ident(change.new_name)
    if change.table is None:
        sql = f"ALTER TABLE {ctx.target.q(change.old_name)} RENAME TO {new}"
        return [Step(sql, "rename", change.new_name, "rename",
                     provides=frozenset({f"table:{change.new_name}"}))]
    # Constraint and index renames read best after the column renames they follow from.
    on = frozenset({f"table:{change.table}", f"renamed-columns:{change.table}"})
    if change.collection == "indexes":
        sql = f"ALTER INDEX {ctx.target.q(change.old_name)} RENAME TO {new}"
        return [Step(sql, "rename", change.key, "rename", requires=on,
                     provides=frozenset({f"index:{change.new_name}"}))]
    if change.collection == "constraints":
        sql = f"ALTER TABLE {ctx.target.q(change.table)} RENAME CONSTRAINT {old} TO {new}"
        return [Step(sql, "rename", change.key, "rename", requires=on,
                     provides=frozenset({f"constraint:{change.key}"}))]
    sql = f"ALTER TABLE {ctx.target.q(change.table)} RENAME COLUMN {old} TO {new}"
    return [Step(sql, "rename", change.key, "rename",
                 requires=frozenset({f"table:{change.table}"}),
                 provides=frozenset({f"column:{change.key}", f"renamed-columns:{change.table}"}))]


def relation_names(model: SchemaModel) -> set[str]:
    """Return the names in the relation namespace: tables, views, indexes, keys, sequences."""
    names = {t.name for t in model.tables} | {v.name for v in model.views}
    names |= {m.name for m in model.materialized_views} | {i.name for i in model.indexes}
    names |= {s.name for s in model.sequences}
    return names | {c.name for c in model.constraints if isinstance(c, PrimaryKey | Unique)}


def mark_early_drops(ctx: PlanContext) -> None:
    """Drop early the dropped tables whose names the desired schema gives to another relation.

    DROP TABLE takes the table's indexes and key constraints along; run last, it leaves
    their names taken when a new relation of the same name is created.
    """
    desired = relation_names(ctx.desired)
    for name in sorted(ctx.dropped_tables - ctx.new_tables):
        own = {name} | {i.name for i in ctx.live.indexes if i.table == name}
        own |= {c.name for c in ctx.live.constraints_of(name) if isinstance(c, PrimaryKey | Unique)}
        if own & desired:
            ctx.early_table_drops.add(name)


def needs_recreate(old: Table, new: Table) -> bool:
    """Return True when partitioning changes: PostgreSQL cannot alter it in place."""
    return (old.partition_by, old.partition_of, old.partition_bound) != (
        new.partition_by, new.partition_of, new.partition_bound)


def plan_alter_table(ctx: PlanContext, old: Table, new: Table) -> list[Step]:
    """Return the steps that turn table `old` into `new`."""
    if ctx.is_recreated(new.name):
        # Partitioning cannot be altered in place: the table (and its partitions, see the
        # builder) is dropped first and created again.
        return plan_drop_table(ctx, old, phase=PRE_DROP) + plan_add_table(ctx, new)
    steps: list[Step] = []
    old_cols = {c.name: c for c in old.columns}
    new_cols = {c.name: c for c in new.columns}
    added: str | None = None
    for col in new.columns:
        if col.name not in old_cols:
            steps += _after_column(add_column(ctx, new, col), new.name, added)
            added = col.name
        elif old_cols[col.name] != col:
            steps += alter_column(ctx, new, old_cols[col.name], col)
    steps += [s for c in old.columns if c.name not in new_cols for s in drop_column(ctx, old, c)]
    steps += _row_security(ctx, old, new)
    if old.comment != new.comment:
        steps.append(_comment(ctx, new))
    return steps


def _after_column(steps: list[Step], table: str, previous: str | None) -> list[Step]:
    """Return ADD COLUMN steps bound to run after the previous new column's.

    PostgreSQL appends each added column: the plan's tie-break (by key) would put `c10`
    before `c9`, and the table would end up with another column order than declared.
    """
    if previous is None:
        return steps
    need = frozenset({f"column:{table}.{previous}"})
    return [replace(s, requires=s.requires | need) if s.action == "create" else s
            for s in steps]


def _row_security(ctx: PlanContext, old: Table, new: Table) -> list[Step]:
    steps: list[Step] = []
    q = ctx.target.q(new.name)
    for before, after, on, off in ((old.rls_enabled, new.rls_enabled, "ENABLE", "DISABLE"),
                                   (old.rls_forced, new.rls_forced, "FORCE", "NO FORCE")):
        if before != after:
            word = on if after else off
            steps.append(Step(f"ALTER TABLE {q} {word} ROW LEVEL SECURITY", "table", new.name,
                              "alter", (Hazard.CHANGES_AUTHORIZATION,), order=20))
    return steps


def _comment(ctx: PlanContext, table: Table) -> Step:
    sql = f"COMMENT ON TABLE {ctx.target.q(table.name)} IS {comment_literal(table.comment)}"
    return Step(sql, "comment", table.name, "comment", requires=frozenset({f"table:{table.name}"}))


def _col_comment(ctx: PlanContext, table: str, col: object) -> Step:
    from .columns import column_comment

    step = column_comment(ctx, table, col)  # type: ignore[arg-type]
    return Step(step.sql, "comment", step.key, "comment",
                requires=frozenset({f"table:{table}"}))


__all__ = ["mark_early_drops", "needs_recreate", "plan_add_table", "plan_alter_table",
           "plan_drop_table", "plan_rename", "relation_names", "row_security"]
