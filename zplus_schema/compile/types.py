"""Extensions, enum types and sequences."""

from __future__ import annotations

from ..ident import quote_ident, quote_literal
from ..model import EnumType, Extension, Sequence
from .context import Target
from .statement import Statement


def create_extension(ext: Extension, target: Target) -> list[Statement]:
    """Return CREATE EXTENSION IF NOT EXISTS (extensions are database-wide)."""
    sql = f"CREATE EXTENSION IF NOT EXISTS {quote_ident(ext.name)}"
    sql += f" WITH SCHEMA {quote_ident(ext.schema_name or target.schema)}"
    if ext.version:
        sql += f" VERSION {quote_literal(ext.version)}"
    return [Statement(sql, "extension", ext.name, frozenset({f"extension:{ext.name}"}))]


def create_enum(enum: EnumType, target: Target) -> list[Statement]:
    """Return CREATE TYPE ... AS ENUM."""
    values = ", ".join(quote_literal(v) for v in enum.values)
    return [Statement(f"CREATE TYPE {target.q(enum.name)} AS ENUM ({values})", "enum",
                      enum.name, frozenset({f"type:{enum.name}"}))]


def create_sequence(seq: Sequence, target: Target) -> list[Statement]:
    """Return CREATE SEQUENCE, and ALTER SEQUENCE ... OWNED BY once its table exists."""
    sql = f"CREATE SEQUENCE {target.q(seq.name)} AS {seq.type}"
    sql += f" INCREMENT BY {seq.increment}"
    if seq.min_value is not None:
        sql += f" MINVALUE {seq.min_value}"
    if seq.max_value is not None:
        sql += f" MAXVALUE {seq.max_value}"
    if seq.start is not None:
        sql += f" START WITH {seq.start}"
    sql += f" CACHE {seq.cache}" + (" CYCLE" if seq.cycle else "")
    out = [Statement(sql, "sequence", seq.name, frozenset({f"sequence:{seq.name}"}))]
    if seq.owned_by:
        table, column = seq.owned_by
        owner = (f"ALTER SEQUENCE {target.q(seq.name)} OWNED BY "
                 f"{target.q(table)}.{quote_ident(column)}")
        out.append(Statement(owner, "sequence_owner", seq.name, frozenset(),
                             frozenset({f"sequence:{seq.name}", f"table:{table}"})))
    return out
