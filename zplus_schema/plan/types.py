"""Enum and domain types, sequences and extensions."""

from __future__ import annotations

from ..compile.types import create_enum, create_extension, create_sequence
from ..compile.view import comment_literal, create_domain
from ..errors import ZplusError
from ..ident import quote_ident, quote_literal
from ..model import Domain, EnumType, Extension, Sequence
from .context import PlanContext
from .step import POST_DROP, Hazard, Step, steps_from


class UnsupportedChange(ZplusError):
    """A change PostgreSQL cannot make in place and that the tool will not guess at."""


def _comment(ctx: PlanContext, what: str, name: str, kind: str, text: str | None) -> Step:
    sql = f"COMMENT ON {what} {ctx.target.q(name)} IS {comment_literal(text)}"
    return Step(sql, "comment", name, "comment", order=5,
                requires=frozenset({f"{kind}:{name}"}))


def plan_add_enum(ctx: PlanContext, enum: EnumType) -> list[Step]:
    """Return CREATE TYPE ... AS ENUM."""
    steps = steps_from(create_enum(enum, ctx.target), "enum", enum.name, "create")
    return steps + ([_comment(ctx, "TYPE", enum.name, "type", enum.comment)]
                    if enum.comment else [])


def plan_alter_enum(ctx: PlanContext, old: EnumType, new: EnumType) -> list[Step]:
    """Return ALTER TYPE ... ADD VALUE for new values; removing or reordering is refused."""
    kept = [v for v in new.values if v in old.values]
    if kept != list(old.values):
        raise UnsupportedChange(
            f"enum {new.name}: values can only be added (live {list(old.values)}, "
            f"desired {list(new.values)})",
            hint="removing or reordering enum values needs a hand-written migration")
    steps: list[Step] = []
    for i, value in enumerate(new.values):
        if value in old.values:
            continue
        place = ""
        if i + 1 < len(new.values) and new.values[i + 1] in old.values:
            place = f" BEFORE {quote_literal(new.values[i + 1])}"
        elif i > 0:
            place = f" AFTER {quote_literal(new.values[i - 1])}"
        sql = f"ALTER TYPE {ctx.target.q(new.name)} ADD VALUE {quote_literal(value)}{place}"
        steps.append(Step(sql, "enum", new.name, "alter", order=i,
                          provides=frozenset({f"type:{new.name}"})))
    if old.comment != new.comment:
        steps.append(_comment(ctx, "TYPE", new.name, "type", new.comment))
    return steps


def plan_drop_type(ctx: PlanContext, obj: EnumType | Domain) -> list[Step]:
    """Return DROP TYPE / DROP DOMAIN."""
    word = "DOMAIN" if isinstance(obj, Domain) else "TYPE"
    return [Step(f"DROP {word} {ctx.target.q(obj.name)}", "enum", obj.name, "drop",
                 phase=POST_DROP, order=60)]


def plan_add_domain(ctx: PlanContext, dom: Domain) -> list[Step]:
    """Return CREATE DOMAIN."""
    steps = steps_from(create_domain(dom, ctx.target), "domain", dom.name, "create")
    return steps + ([_comment(ctx, "DOMAIN", dom.name, "type", dom.comment)]
                    if dom.comment else [])


def plan_alter_domain(ctx: PlanContext, old: Domain, new: Domain) -> list[Step]:
    """Return ALTER DOMAIN steps; a new base type or collation is refused."""
    if (old.type, old.collation) != (new.type, new.collation):
        raise UnsupportedChange(f"domain {new.name}: its base type or collation changed",
                                hint="create a new domain and move columns to it")
    q = ctx.target.q(new.name)
    sqls: list[str] = []
    if old.default != new.default:
        sqls.append(f"ALTER DOMAIN {q} DROP DEFAULT" if new.default is None
                    else f"ALTER DOMAIN {q} SET DEFAULT {new.default}")
    if old.nullable != new.nullable:
        sqls.append(f"ALTER DOMAIN {q} {'DROP' if new.nullable else 'SET'} NOT NULL")
    old_checks, new_checks = dict(old.checks), dict(new.checks)
    for name, expr in old.checks:
        if new_checks.get(name) != expr:
            sqls.append(f"ALTER DOMAIN {q} DROP CONSTRAINT {quote_ident(name)}")
    for name, expr in new.checks:
        if old_checks.get(name) != expr:
            sqls.append(f"ALTER DOMAIN {q} ADD CONSTRAINT {quote_ident(name)} CHECK ({expr}) "
                        "NOT VALID")
            sqls.append(f"ALTER DOMAIN {q} VALIDATE CONSTRAINT {quote_ident(name)}")
    steps = [Step(s, "domain", new.name, "alter", order=i) for i, s in enumerate(sqls)]
    if old.comment != new.comment:
        steps.append(_comment(ctx, "DOMAIN", new.name, "type", new.comment))
    return steps


def plan_add_sequence(ctx: PlanContext, seq: Sequence) -> list[Step]:
    """Return CREATE SEQUENCE (and OWNED BY)."""
    steps = steps_from(create_sequence(seq, ctx.target), "sequence", seq.name, "create")
    return steps + ([_comment(ctx, "SEQUENCE", seq.name, "sequence", seq.comment)]
                    if seq.comment else [])


def plan_alter_sequence(ctx: PlanContext, old: Sequence, new: Sequence) -> list[Step]:
    """Return ALTER SEQUENCE with every option that changed."""
    parts: list[str] = []
    if old.type != new.type:
        parts.append(f"AS {new.type}")
    for attr, word in (("increment", "INCREMENT BY"), ("min_value", "MINVALUE"),
                       ("max_value", "MAXVALUE"), ("start", "START WITH"), ("cache", "CACHE")):
        value = getattr(new, attr)
        if getattr(old, attr) != value:
            parts.append(f"{word} {value}" if value is not None else f"NO {word.split()[0]}")
    if old.cycle != new.cycle:
        parts.append("CYCLE" if new.cycle else "NO CYCLE")
    if old.owned_by != new.owned_by:
        owner = "NONE" if new.owned_by is None else (
            f"{ctx.target.q(new.owned_by[0])}.{quote_ident(new.owned_by[1])}")
        parts.append(f"OWNED BY {owner}")
    steps = []
    if parts:
        steps.append(Step(f"ALTER SEQUENCE {ctx.target.q(new.name)} {' '.join(parts)}",
                          "sequence", new.name, "alter"))
    if old.comment != new.comment:
        steps.append(_comment(ctx, "SEQUENCE", new.name, "sequence", new.comment))
    return steps


def plan_drop_sequence(ctx: PlanContext, seq: Sequence) -> list[Step]:
    """Return DROP SEQUENCE: its current value is lost.

    A sequence OWNED BY a column that this plan drops (with its table or alone) goes with
    that column; a separate DROP SEQUENCE would then fail.
    """
    if seq.owned_by is not None:
        table, column = seq.owned_by
        kept = ctx.desired.table(table)
        if ctx.is_dropped(table) or kept is None or kept.column(column) is None:
            return []
    return [Step(f"DROP SEQUENCE {ctx.target.q(seq.name)}", "sequence", seq.name, "drop",
                 (Hazard.DELETES_DATA,), phase=POST_DROP, order=50)]


def plan_add_extension(ctx: PlanContext, ext: Extension) -> list[Step]:
    """Return CREATE EXTENSION IF NOT EXISTS."""
    return steps_from(create_extension(ext, ctx.target), "extension", ext.name, "create")


def plan_alter_extension(ctx: PlanContext, old: Extension, new: Extension) -> list[Step]:
    """Return ALTER EXTENSION ... UPDATE TO when the version changed."""
    if new.version and old.version != new.version:
        sql = f"ALTER EXTENSION {quote_ident(new.name)} UPDATE TO {quote_literal(new.version)}"
        return [Step(sql, "extension", new.name, "alter", (Hazard.UNTRACKED_DEPENDENCY,))]
    return []


def plan_drop_extension(ctx: PlanContext, ext: Extension) -> list[Step]:
    """Return DROP EXTENSION: its objects and their data go with it."""
    return [Step(f"DROP EXTENSION {quote_ident(ext.name)}", "extension", ext.name, "drop",
                 (Hazard.DELETES_DATA, Hazard.UNTRACKED_DEPENDENCY), phase=POST_DROP, order=90)]
