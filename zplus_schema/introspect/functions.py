"""Functions and procedures (sql/functions.sql)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, NamedTuple

import psycopg

from ..model import Argument, Function
from ..model.function import ArgMode, Volatility
from .found import Found
from .queries import fetch
from .text import relativize, relativize_opt, split_expressions

MODES: dict[str, ArgMode] = {"i": "in", "o": "out", "b": "inout", "v": "variadic"}
INPUT_MODES = frozenset({"i", "b", "v"})
TABLE_MODE = "t"  # a RETURNS TABLE column: pg_get_function_result already shows it
VOLATILITY: dict[str, Volatility] = {"i": "immutable", "s": "stable", "v": "volatile"}
KINDS: dict[str, Literal["function", "procedure"]] = {"f": "function", "p": "procedure"}
# Languages whose "body" is a symbol in a shared library, not source the model can carry.
NATIVE_LANGUAGES = frozenset({"c", "internal"})


class FunctionRow(NamedTuple):
    """One row of sql/functions.sql; arg_* are parallel arrays (names/modes may be NULL)."""

    schema_name: str
    name: str
    kind: str
    arg_types: list[str]
    arg_names: list[str] | None
    arg_modes: list[str] | None
    arg_defaults: str | None
    default_count: int
    returns: str | None
    identity_args: str
    language: str
    volatility: str
    security_definer: bool
    strict: bool
    config: list[str] | None
    body: str
    has_sql_body: bool
    comment: str | None


def build_arguments(row: FunctionRow) -> tuple[Argument, ...]:
    """Return the declared arguments; defaults belong to the last N input arguments."""
    own = row.schema_name
    modes = row.arg_modes or ["i"] * len(row.arg_types)
    names = row.arg_names or [""] * len(row.arg_types)
    defaults = [relativize(d, own) for d in split_expressions(row.arg_defaults or "")]
    if len(defaults) != row.default_count:
        raise ValueError(f"{row.schema_name}.{row.name}: cannot split defaults "
                         f"{row.arg_defaults!r} into {row.default_count}")
    inputs = [i for i, mode in enumerate(modes) if mode in INPUT_MODES]
    default_of = dict(zip(inputs[len(inputs) - len(defaults):], defaults, strict=True))
    return tuple(
        Argument(
            name=names[i] or None,
            type=relativize(type_, own),
            mode=MODES[modes[i]],
            default=default_of.get(i),
        )
        for i, type_ in enumerate(row.arg_types)
        if modes[i] != TABLE_MODE
    )


def build_config(config: list[str] | None) -> tuple[tuple[str, str], ...]:
    """Return proconfig's `name=value` entries as sorted (name, value) pairs."""
    pairs = (entry.split("=", 1) for entry in config or ())
    return tuple(sorted((name, value) for name, value in pairs))


def build_function(row: FunctionRow) -> Function:
    """Return the model Function of one catalog function or procedure."""
    kind = KINDS[row.kind]
    return Function(
        name=row.name,
        kind=kind,
        arguments=build_arguments(row),
        returns=relativize_opt(row.returns, row.schema_name) if kind == "function" else None,
        language=row.language,
        body=row.body,
        volatility=VOLATILITY[row.volatility],
        security_definer=row.security_definer,
        strict=row.strict,
        config=build_config(row.config),
        comment=row.comment,
    )


def unmanaged_kind(row: FunctionRow) -> str | None:
    """Return why the model cannot carry this function, as an unmanaged kind, or None."""
    if row.has_sql_body:
        return f"{KINDS[row.kind]} with SQL-standard body"
    if row.language in NATIVE_LANGUAGES:
        return f"{row.language} {KINDS[row.kind]}"
    return None


def read(conn: psycopg.Connection[Any], schemas: Sequence[str], found: Found) -> None:
    """Read every function and procedure of `schemas` into `found`."""
    for row in fetch(conn, "functions", FunctionRow._make, schemas):
        reason = unmanaged_kind(row)
        if reason is not None:
            found.report(row.schema_name, reason, f"{row.name}({row.identity_args})")
        else:
            found.add(row.schema_name, "functions", build_function(row))
